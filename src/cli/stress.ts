/**
 * `aftershock stress`: the venue-compatible portfolio margin of every account of a portfolio file, from one Deribit
 * snapshot's marks, with a summary and the largest accounts. Defaults run the bundled fixtures (3000 synthetic accounts
 * on the 2026-02-04 chain). Exit code 3 when some books could not be margined (each is listed), 2 on bad input.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { loadDeribitSnapshot, loadPerpetualFutures } from '../market/load/index.ts';
import { marksFromSnapshot, venueMarginBatch, type BatchAccount } from '../jobs/index.ts';
import { CliInputError, type Io } from './io.ts';

const DEFAULTS = {
  portfolios: 'fixtures/portfolios/fixture-accounts.json',
  snapshot: 'fixtures/market/deribit_2025_2026/deribit_options_snapshot_20260204T213308Z.csv',
  perpetuals: 'fixtures/market/deribit_2025_2026/perpetual_futures_prices.csv',
  model: 'models/margin/deribit-pm/1.0.0.json',
};

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliInputError(`${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'cannot read'}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliInputError(`${what} ${path}: not JSON (${(e as Error).message})`);
  }
}

function accountsOf(doc: unknown, path: string): { asOf: string; accounts: BatchAccount[] } {
  const d = doc as { asOf?: unknown; accounts?: unknown };
  if (typeof d !== 'object' || d === null || !Array.isArray(d.accounts) || typeof d.asOf !== 'string') {
    throw new CliInputError(`portfolios ${path}: expected { asOf: string, accounts: [...] }`);
  }
  return { asOf: d.asOf, accounts: d.accounts as BatchAccount[] };
}

const usd = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 0 });

export function registerStress(program: Command, io: Io): void {
  program.command('stress')
    .description('venue portfolio margin of every account from one snapshot (defaults: the bundled fixtures)')
    .option('--portfolios <file>', 'portfolio JSON', DEFAULTS.portfolios)
    .option('--snapshot <file>', 'Deribit option snapshot CSV (marks, forwards, mark iv)', DEFAULTS.snapshot)
    .option('--perpetuals <file>', 'perpetual marks CSV (rows of the snapshot are used)', DEFAULTS.perpetuals)
    .option('--model <file>', 'margin model (models/margin/deribit-pm/<version>.json)', DEFAULTS.model)
    .option('--top <n>', 'largest accounts to list', (v) => Number.parseInt(v, 10), 10)
    .action(async (o: { portfolios: string; snapshot: string; perpetuals: string; model: string; top: number }) => {
      const { asOf, accounts } = accountsOf(await readJson(o.portfolios, 'portfolios'), o.portfolios);
      const params = await readJson(o.model, 'model');
      const chain = await loadDeribitSnapshot(o.snapshot);
      const perps = await loadPerpetualFutures(o.perpetuals);
      const snapshotName = basename(o.snapshot);
      const { marks, index } = marksFromSnapshot(chain.rows, perps.rows.filter((p) => p.snapshotFile === snapshotName));
      const batch = venueMarginBatch(accounts, asOf, marks, index, params);
      if (program.opts<{ json?: boolean }>().json) {
        io.out(JSON.stringify({ ...batch, inputFailures: { snapshot: chain.failures.length, perpetuals: perps.failures.length } }));
      } else {
        io.out(`venue portfolio margin as of ${asOf} (${o.model})`);
        io.out(`  snapshot ${snapshotName}: ${chain.rows.length} quotes (${chain.failures.length} bad rows)`);
        io.out(`  ${batch.totals.accounts} of ${accounts.length} accounts margined, ${batch.failures.length} books failed`);
        io.out(`  total IM ${usd(batch.totals.initialMarginUsd)} USD, MM ${usd(batch.totals.maintenanceMarginUsd)} USD`);
        io.out(`  largest initial margins:`);
        const top = [...batch.margins].sort((a, b) => b.initialMarginUsd - a.initialMarginUsd).slice(0, o.top);
        for (const m of top) {
          io.out(`    ${m.accountId.padEnd(12)} ${m.desk.padEnd(9)} ${m.currency}  IM ${m.initialMarginCoin.toFixed(4).padStart(10)} ${m.currency} = ${usd(m.initialMarginUsd).padStart(12)} USD  MM ${usd(m.maintenanceMarginUsd).padStart(12)} USD`);
        }
        for (const f of batch.failures.slice(0, 20)) io.err(`  failed: ${f.accountId} ${f.currency}: ${f.reason}`);
      }
      if (batch.failures.length > 0) process.exitCode = 3;
    });
}
