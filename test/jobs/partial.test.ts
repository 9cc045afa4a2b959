/**
 * Bad accounts make the run partial, not failed (DESIGN.md §3): an account with a malformed instrument name (a load
 * failure) and one holding an option on an underlying without a market (a margin failure) are each listed as object
 * failures; every other account is margined.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runRecalibrationJob } from '../../src/jobs/index.ts';
import { listAccountMargins } from '../../src/store/index.ts';
import { createTestDatabase } from '../support/db.ts';
import { INCIDENT, ROOT, smallPortfolio } from './helpers.ts';

describe('a recalibration with one unresolvable account', () => {
  it('finishes partial, names the account, margins the others', async () => {
    const path = smallPortfolio(30);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { accounts: { id: string; desk: string; positions: unknown[]; collateral: unknown[] }[] };
    // a malformed name (rejected by the portfolio parser) and a well-formed option on an underlying without a market
    doc.accounts.push({ id: 'BAD-1', desk: 'retail', positions: [{ instrument: 'BTC-27MAR26-1-X', quantity: 1 }], collateral: [] });
    doc.accounts.push({ id: 'BAD-2', desk: 'retail', positions: [{ instrument: 'SOL-27MAR26-100-C', quantity: 1 }], collateral: [] });
    writeFileSync(path, JSON.stringify(doc));
    const db = await createTestDatabase('sqlite');
    try {
      const store = await db.open();
      const job = await runRecalibrationJob({ store, codeVersion: 'aftershock@test', request: { root: ROOT, incident: INCIDENT, portfolios: path } });
      expect(job.run.status).toBe('partial');
      const failed = job.run.objectFailures.filter((f) => f.object.startsWith('BAD-'));
      expect(failed.map((f) => [f.stage, f.object])).toEqual([['load', 'BAD-1'], ['margin', 'BAD-2']]);
      expect(failed[0]!.reason).toMatch(/BTC-27MAR26-1-X/);
      expect(failed[1]!.reason).toMatch(/SOL-27MAR26-100-C/);
      expect(await listAccountMargins(store, job.run.id)).toHaveLength(30);
    } finally {
      await db.cleanup();
    }
  }, 120_000);
});
