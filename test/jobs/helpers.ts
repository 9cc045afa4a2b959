/** Shared set-up of the recalibration job tests: a small slice of the fixture accounts, and job defaults. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the job's `root`: fixtures/ and models/ are read from there). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const INCIDENT = 'fixtures/incidents/2026-02-05-drawdown.json';

/** Writes the first `n` fixture accounts (every desk keeps its accounts in file order) to a temp file; returns its path. */
export function smallPortfolio(n: number): string {
  const doc = JSON.parse(readFileSync(join(ROOT, 'fixtures/portfolios/fixture-accounts.json'), 'utf8')) as { accounts: unknown[] };
  const dir = mkdtempSync(join(tmpdir(), 'aftershock-jobs-'));
  const path = join(dir, `accounts-${n}.json`);
  writeFileSync(path, JSON.stringify({ ...doc, accounts: doc.accounts.slice(0, n) }));
  return path;
}
