/** Fixture loading shared by the scenario tests (committed files only; tests never read ../shared). */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildPriceSeries, parseCddDailyCsv, parseDeribitSnapshotCsv, type PriceSeries } from '../../src/market/index.ts';
import { expectValid, validateIncident, type Incident, type AtmTermStructure } from '../../src/scenarios/index.ts';

/** Absolute path of a repository file. */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}

/** Parsed JSON of a repository file. */
export function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(repoPath(relative), 'utf8')) as unknown;
}

let cachedSeries: readonly PriceSeries[] | undefined;
/** The nine CryptoDataDownload daily series of fixtures/market/crypto_daily (asset order ADA .. XRP). */
export function cryptoDailySeries(): readonly PriceSeries[] {
  if (cachedSeries === undefined) {
    const dir = repoPath('fixtures/market/crypto_daily/');
    const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));
    const points = files.flatMap((f) => {
      const r = parseCddDailyCsv(readFileSync(dir + f, 'utf8'), { file: f });
      if (r.failures.length > 0) throw new Error(`${f}: ${r.failures.length} parse failures`);
      return r.rows;
    });
    const built = buildPriceSeries(points);
    if (built.failures.length > 0) throw new Error('series failures');
    cachedSeries = built.series;
  }
  return cachedSeries;
}

/** The 2026-02-05 drawdown incident fixture, validated. */
export function drawdownIncident(): Incident {
  return expectValid(validateIncident(readJson('fixtures/incidents/2026-02-05-drawdown.json')), 'incident');
}

/**
 * ATM implied-vol term structure of one coin in a Deribit snapshot: per expiry, the mean venue mark IV of the call
 * and put at the listed strike nearest the expiry's forward; tenor = expiry (years ACT/365) x 365 days.
 */
export function atmTermStructure(stamp: string, coin: string): AtmTermStructure {
  const file = `fixtures/market/deribit_2025_2026/deribit_options_snapshot_${stamp}.csv`;
  const { rows } = parseDeribitSnapshotCsv(readFileSync(repoPath(file), 'utf8'), { file });
  const byExpiry = new Map<number, typeof rows[number][]>();
  for (const q of rows) {
    if (q.underlying !== coin || q.settlement !== 'inverse' || q.venueMarkIv === undefined) continue;
    const list = byExpiry.get(q.expiry) ?? [];
    list.push(q);
    byExpiry.set(q.expiry, list);
  }
  const tenors: number[] = [];
  const vols: number[] = [];
  for (const expiry of [...byExpiry.keys()].sort((a, b) => a - b)) {
    const list = byExpiry.get(expiry) as typeof rows[number][];
    let best = list[0] as (typeof list)[number];
    for (const q of list) if (Math.abs(q.strike - q.forward) < Math.abs(best.strike - best.forward)) best = q;
    const atm = list.filter((q) => q.strike === best.strike).map((q) => q.venueMarkIv as number);
    tenors.push(expiry * 365);
    vols.push(atm.reduce((a, b) => a + b, 0) / atm.length);
  }
  return { tenorDays: tenors, vols };
}

/** Pearson correlation of two equal-length arrays. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = (x[i] as number) - mx;
    const b = (y[i] as number) - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxy / Math.sqrt(sxx * syy);
}
