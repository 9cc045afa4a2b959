/**
 * Rolling-backtest benchmark (src/backtest/rolling): the FHS-ES margin re-estimated at every date of the full
 * 2017-2026 daily history (fixtures/market/crypto_daily, BTC and ETH aligned, ~3000 dates) on a LINEAR book and on a
 * RESPONSE book of the same two underlyings. Goal: the response book within ~2x the linear book's run time.
 *
 *   npx tsx scripts/bench/backtest.ts              # best of 5 after a warm-up
 *   npx tsx scripts/bench/backtest.ts --reps 3
 *
 * Model: models/margin/fhs-es/1.0.0.json (99.5 % ES, MPOR 2 rows, 'sqrt', 25 % buffer APC, add-ons), EWMA 0.94 seeded
 * on 100 rows, 500 scenario rows + 100 warm-up: the `fhs-es pre-incident` calibration. Books:
 * - linear: BTC +1m USD, ETH -0.5m USD;
 * - response: BTC long 30-day ATM call and short 30-day 85 % put x2 (1m USD notional per unit leg), ETH short 30-day ATM
 *   straddle (0.5m), Black-Scholes revaluations on the default 121-point `responseGrid()`;
 * - response, MPOR by scaling the moves (`mporScaling: 'moves'`): same book.
 * Each row: best and worst wall time and best process CPU time of `runRollingBacktest` over the whole history (the
 * book's P&L function and realised P&L are built inside the timed call), ratio to the linear row. Single thread.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { alignLogReturns, buildPriceSeries, parseCddDailyCsv } from '../../src/market/index.ts';
import { bsPrice } from '../../src/pricing/index.ts';
import {
  createFhsEsMarginModel, responseGrid, runRollingBacktest, type BacktestBook, type MarginModel, type ResponseBook,
} from '../../src/backtest/index.ts';
import { bestOf, formatLoad, machineInfo } from './support/timing.ts';
import { renderTable } from './support/table.ts';

const { values: argv } = parseArgs({ options: { reps: { type: 'string', default: '5' } } });
const REPS = Number(argv.reps);
const ROOT = join(import.meta.dirname, '..', '..');

function loadPanel() {
  const dir = join(ROOT, 'fixtures/market/crypto_daily');
  const points = readdirSync(dir).filter((f) => f.endsWith('.csv')).flatMap((f) => {
    const r = parseCddDailyCsv(readFileSync(join(dir, f), 'utf8'), { file: f });
    if (r.failures.length > 0) throw new Error(`${f}: ${r.failures.length} parse failures`);
    return r.rows;
  });
  const built = buildPriceSeries(points);
  return alignLogReturns(built.series, { gaps: 'drop-row', assets: ['BTC', 'ETH'] });
}

type Leg = { type: 'call' | 'put'; moneyness: number; units: number; vol: number };
function response(legs: readonly Leg[], grid: Float64Array) {
  const value = (s: number): number => legs.reduce((v, l) => v + l.units * bsPrice({ spot: s, strike: 100 * l.moneyness, expiry: 30 / 365, rate: 0, vol: l.vol, type: l.type }), 0);
  const v0 = value(100);
  return { returns: grid, pnlUsd: Float64Array.from(grid, (r) => value(100 * (1 + r)) - v0) };
}

const panel = loadPanel();
const grid = responseGrid();
const linear: BacktestBook = { name: 'linear BTC/ETH', exposuresUsd: { BTC: 1_000_000, ETH: -500_000 } };
const options: ResponseBook = {
  name: 'BTC/ETH options',
  responses: {
    BTC: response([{ type: 'call', moneyness: 1, units: 1e4, vol: 0.55 }, { type: 'put', moneyness: 0.85, units: -2e4, vol: 0.55 }], grid),
    ETH: response([{ type: 'call', moneyness: 1, units: -5e3, vol: 0.7 }, { type: 'put', moneyness: 1, units: -5e3, vol: 0.7 }], grid),
  },
};
const fhsModel = JSON.parse(readFileSync(join(ROOT, 'models/margin/fhs-es/1.0.0.json'), 'utf8')) as unknown;
const config = { name: 'fhs-es', marginModel: fhsModel, volModel: { model: 'ewma', lambda: 0.94, init: 'sample', seed_rows: 100 } as const, lookbackRows: 500, warmupRows: 100 };
const byPnl = createFhsEsMarginModel(config);
const byMoves = createFhsEsMarginModel({ ...config, mporScaling: 'moves' });

const m0 = machineInfo();
console.log(`node ${m0.node}, ${m0.cpuModel} x ${m0.cores}, load average at start ${formatLoad(m0.loadAverage)}`);
console.log(`panel: ${panel.assets.join(', ')}, ${panel.dates.length} rows ${panel.dates[0]} .. ${panel.dates.at(-1)}; grid ${grid.length} points`);

const cases: Array<[string, BacktestBook, MarginModel]> = [
  ['linear book (2 exposures)', linear, byPnl],
  ['response book (2 x 121-point grid)', options, byPnl],
  ["response book, mporScaling 'moves'", options, byMoves],
];
const rows: string[][] = [];
let base = Number.NaN;
let baseCpu = Number.NaN;
for (const [label, book, model] of cases) {
  let dates = 0;
  let margin = 0;
  const t = bestOf(REPS, () => {
    const run = runRollingBacktest({ panel, book, mporDays: 2, model });
    dates = run.counts.dates;
    margin = run.marginUsd.reduce((s, x) => s + x, 0) / run.counts.dates;
  });
  if (Number.isNaN(base)) {
    base = t.bestMs;
    baseCpu = t.bestCpuMs;
  }
  rows.push([label, String(dates), t.bestMs.toFixed(0), t.worstMs.toFixed(0), t.bestCpuMs.toFixed(0), (t.bestMs / base).toFixed(2), (t.bestCpuMs / baseCpu).toFixed(2), (margin / 1e3).toFixed(1)]);
}
console.log(renderTable(['book', 'dates', 'best ms', 'worst ms', 'best CPU ms', 'x linear', 'x linear CPU', 'mean margin k USD'], rows));
console.log(`load average at end ${formatLoad(machineInfo().loadAverage)}; best of ${REPS} after a warm-up`);
