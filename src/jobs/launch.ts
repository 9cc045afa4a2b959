/**
 * Starts recalibrations in the background for a server (the API's run launcher): each request becomes an
 * `aftershock recalibrate --json` child process on the same store, so the CPU-heavy pipeline never blocks the
 * server's event loop and a crash of the job never takes the server down. `start` resolves once the child has
 * created its run (its first progress line names it), with the run id; progress, status and the report are then read
 * from the store.
 *
 * Requests carry NAMES resolved inside configured roots, never paths: `incident` = `<incidentsDir>/<name>.json`,
 * `portfolios` = `<portfoliosDir>/<name>.json` (default: the fixture accounts), `market` = a directory under
 * `marketsDir` (default `market`), `models` = a named models directory from `modelSets` (default `default`).
 * An unknown name is an error carrying `field` (the API answers 422 naming it).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInputName } from './inputName.ts';

/** A launcher rejection naming the request field. */
export class LaunchRequestError extends Error {
  override readonly name = 'LaunchRequestError';
  constructor(readonly field: string, readonly publicMessage: string) {
    super(`${field}: ${publicMessage}`);
  }
}

/** Options of {@link createProcessLauncher}. */
export interface ProcessLauncherOptions {
  /** The store every child writes to (a SQLite path or a postgres:// URL). */
  readonly dbTarget: string;
  /** Project root (default: this package's root). */
  readonly root?: string;
  readonly incidentsDir?: string;
  readonly portfoliosDir?: string;
  readonly marketsDir?: string;
  readonly modelSets?: Readonly<Record<string, string>>;
  /** Report directory of the children (default `<root>/aftershock-reports`). */
  readonly outDir?: string;
  /** How long to wait for the child to create its run (ms, default 60 s). */
  readonly startTimeoutMs?: number;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
function named(field: string, value: string): string {
  if (!isInputName(value)) throw new LaunchRequestError(field, 'must be a plain name');
  return value;
}

/** A launcher spawning `aftershock recalibrate` children (see the module comment). */
export function createProcessLauncher(o: ProcessLauncherOptions): {
  start(request: { readonly incident: string; readonly market?: string; readonly portfolios?: string; readonly models?: string }, actor: string): Promise<{ readonly runId: string }>;
} {
  const root = resolve(o.root ?? PACKAGE_ROOT);
  const dirs = {
    incidents: resolve(root, o.incidentsDir ?? 'fixtures/incidents'),
    portfolios: resolve(root, o.portfoliosDir ?? 'fixtures/portfolios'),
    markets: resolve(root, o.marketsDir ?? 'fixtures'),
  };
  const modelSets = o.modelSets ?? { default: 'models' };
  return {
    start(request) {
      const incident = join(dirs.incidents, `${named('incident', request.incident)}.json`);
      if (!existsSync(incident)) return Promise.reject(new LaunchRequestError('incident', `no incident named ${request.incident}`));
      const portfolios = join(dirs.portfolios, `${named('portfolios', request.portfolios ?? 'fixture-accounts')}.json`);
      if (!existsSync(portfolios)) return Promise.reject(new LaunchRequestError('portfolios', `no portfolio file named ${request.portfolios}`));
      const market = join(dirs.markets, named('market', request.market ?? 'market'));
      if (!existsSync(market)) return Promise.reject(new LaunchRequestError('market', `no market data set named ${request.market}`));
      const models = modelSets[request.models ?? 'default'];
      if (models === undefined) return Promise.reject(new LaunchRequestError('models', `no model set named ${request.models}`));
      const args = [
        join(root, 'bin', 'aftershock.js'), '--json', '--db', o.dbTarget, 'recalibrate',
        '--incident', incident, '--portfolios', portfolios, '--market', market, '--models', resolve(root, models),
        '--out', resolve(root, o.outDir ?? 'aftershock-reports'),
      ];
      const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
      return new Promise((resolveStart, reject) => {
        let buffer = '';
        let tail = '';
        const timer = setTimeout(() => {
          reject(new Error('the recalibration did not start in time'));
        }, o.startTimeoutMs ?? 60_000);
        timer.unref();
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk: string) => {
          buffer += chunk;
          tail = (tail + chunk).slice(-2000);
          let i;
          while ((i = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, i);
            buffer = buffer.slice(i + 1);
            const m = /run (\S+) created/.exec(line);
            if (m !== null) {
              clearTimeout(timer);
              resolveStart({ runId: m[1] as string });
            }
          }
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the recalibration exited (code ${code}) before creating its run: ${tail.trim().split('\n').at(-1) ?? ''}`));
        });
        child.unref();
      });
    },
  };
}
