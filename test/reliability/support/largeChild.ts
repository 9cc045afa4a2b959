/**
 * Child process of the large-input tests and benchmark: loads a recalibration's inputs (loadRecalibrationInputs, as
 * `aftershock recalibrate` does) with the market directory, portfolio and limits given as one JSON argument, and
 * prints one JSON line: RSS after imports, peak RSS (resourceUsage().maxRSS), time, and what was loaded or the error.
 * `{"mode":"whole","file":...}` instead reads one snapshot whole and parses it (the pre-streaming way), for comparison.
 */
import { readFile } from 'node:fs/promises';
import { loadRecalibrationInputs } from '../../../src/jobs/index.ts';
import { parseDeribitSnapshotCsv } from '../../../src/market/index.ts';

interface Args {
  readonly market?: string;
  readonly mode?: 'inputs' | 'whole';
  readonly file?: string;
  readonly portfolios?: string;
  readonly limits?: Record<string, number>;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const rssStart = process.memoryUsage().rss;
const t0 = performance.now();
const report = (extra: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ rssStart, maxRss: process.resourceUsage().maxRSS * 1024, elapsedMs: Math.round(performance.now() - t0), ...extra })}\n`);
};
try {
  if (args.mode === 'whole') {
    const parsed = parseDeribitSnapshotCsv(await readFile(args.file as string, 'utf8'), { file: 'whole' });
    report({ ok: true, quotesAfter: parsed.rows.length, failuresAfter: parsed.failures.length, omittedAfter: 0 });
  } else {
    const inputs = await loadRecalibrationInputs({
      root: process.cwd(), incident: 'fixtures/incidents/2026-02-05-drawdown.json',
      ...(args.market === undefined ? {} : { market: args.market }),
      ...(args.portfolios === undefined ? {} : { portfolios: args.portfolios }),
      ...(args.limits === undefined ? {} : { limits: args.limits }),
    });
    report({
      ok: true, quotesAfter: inputs.after.quotes.length, failuresAfter: inputs.after.failures.length, omittedAfter: inputs.after.omittedFailures,
      priceFailures: inputs.priceFailures.length, priceFailuresOmitted: inputs.priceFailuresOmitted,
      btcDays: inputs.series.find((s) => s.asset === 'BTC')?.dates.length ?? 0,
    });
  }
} catch (e) {
  report({ ok: false, error: { name: (e as Error).name, message: (e as Error).message } });
}
