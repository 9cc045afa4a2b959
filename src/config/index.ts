/** Environment and configuration resolution (the only reader of process.env). */
export {
  DEFAULT_SQLITE_PATH, DatabaseConfigError, resolveDatabaseTarget, resolveTestPostgres,
} from './database.ts';
export type { Environment, DatabaseTargetSource, ResolvedDatabaseTarget } from './database.ts';
