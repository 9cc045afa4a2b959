import { describe, expect, it } from 'vitest';
import { DatabaseConfigError, DEFAULT_SQLITE_PATH, resolveDatabaseTarget, resolveTestPostgres } from '../../src/config/index.ts';
import { dialectOf } from '../../src/store/index.ts';

describe('database target resolution (src/config: --db, then DATABASE_URL, then the embedded file)', () => {
  const cwd = '/srv/risk';
  it('defaults to ./.aftershock/aftershock.db under the working directory', () => {
    expect(DEFAULT_SQLITE_PATH).toBe('./.aftershock/aftershock.db');
    expect(resolveDatabaseTarget({ env: {}, cwd })).toEqual({ target: '/srv/risk/.aftershock/aftershock.db', kind: 'sqlite', source: 'default' });
    expect(resolveDatabaseTarget({ env: { DATABASE_URL: '  ' }, cwd }).source).toBe('default');
  });

  it('takes DATABASE_URL, and the --db flag over it', () => {
    const env = { DATABASE_URL: 'postgres://u:p@db.internal:5432/risk' };
    expect(resolveDatabaseTarget({ env, cwd })).toEqual({ target: env.DATABASE_URL, kind: 'postgres', source: 'env' });
    expect(resolveDatabaseTarget({ env, cwd, db: 'runs/a.db' })).toEqual({ target: '/srv/risk/runs/a.db', kind: 'sqlite', source: 'flag' });
    expect(resolveDatabaseTarget({ env: {}, cwd, db: 'postgresql://h/x' }).kind).toBe('postgres');
    expect(resolveDatabaseTarget({ env: {}, cwd, db: 'sqlite:/tmp/x.db' }).target).toBe('/tmp/x.db');
    expect(resolveDatabaseTarget({ env: {}, cwd, db: ':memory:' }).target).toBe(':memory:');
  });

  it('rejects empty values and other URL schemes with a typed error naming the setting', () => {
    expect(() => resolveDatabaseTarget({ env: {}, cwd, db: '' })).toThrow(DatabaseConfigError);
    expect(() => resolveDatabaseTarget({ env: { DATABASE_URL: 'mysql://h/db' }, cwd })).toThrow(/DATABASE_URL: unsupported URL scheme/);
  });

  it('the store classifies targets the same way', () => {
    expect(dialectOf('postgres://h/db')).toBe('postgres');
    expect(dialectOf('POSTGRESQL://h/db')).toBe('postgres');
    expect(dialectOf('/tmp/a.db')).toBe('sqlite');
  });

  it('test PostgreSQL: AFTERSHOCK_TEST_DATABASE_URL, else a postgres DATABASE_URL; required only when asked', () => {
    expect(resolveTestPostgres({})).toEqual({ url: undefined, required: false });
    expect(resolveTestPostgres({ DATABASE_URL: '/tmp/x.db' }).url).toBeUndefined();
    expect(resolveTestPostgres({ DATABASE_URL: 'postgres://h/a', AFTERSHOCK_TEST_DATABASE_URL: 'postgres://h/t' }).url).toBe('postgres://h/t');
    expect(resolveTestPostgres({ DATABASE_URL: 'postgres://h/a', AFTERSHOCK_REQUIRE_POSTGRES: '1' })).toEqual({ url: 'postgres://h/a', required: true });
  });
});
