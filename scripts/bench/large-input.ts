/**
 * Large-input benchmark (issue 10): peak RSS and time of loading a recalibration's inputs (loadRecalibrationInputs,
 * streamed CSVs) when one market file is made large, each load in a child process of its own, against a child loading
 * the fixture inputs; and, for comparison, reading the large snapshot whole and parsing it (the pre-streaming way).
 *
 *   npx tsx scripts/bench/large-input.ts [--mb 100,300] [--whole]
 *
 * Files are generated under the OS temp directory and removed: the after snapshot as its own rows repeated (duplicates),
 * the BTC daily file as its rows mixed with garbage lines. Peak RSS is the child's resourceUsage().maxRSS; growth is
 * peak minus the RSS after imports.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AFTER, largeMarket, loadInChild, MB, remove, type ChildReport } from '../../test/reliability/support/large.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const sizes = (arg('mb') ?? '100,300').split(',').map(Number);
const whole = process.argv.includes('--whole');
const mib = (b: number): string => `${(b / 1048576).toFixed(0)} MB`;
const row = (what: string, bytes: number, gen: number, r: ChildReport): string =>
  `| ${what} | ${bytes === 0 ? '-' : (bytes / MB).toFixed(1)} | ${gen === 0 ? '-' : gen.toFixed(0)} | ${r.ok ? 'ok' : `error: ${r.error?.message.slice(0, 60)}`} | ${(r.elapsedMs / 1000).toFixed(1)} s | ${mib(r.maxRss)} | ${mib(r.maxRss - r.rssStart)} | ${r.failuresAfter ?? '-'} + ${r.omittedAfter ?? '-'} | ${r.priceFailures ?? '-'} + ${r.priceFailuresOmitted ?? '-'} |`;

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}, node ${process.version}`);
console.log('| input | MB | generated (ms) | result | load time | peak RSS | growth | snapshot failures kept + counted | price failures kept + counted |');
console.log('|---|---|---|---|---|---|---|---|---|');
const dir = mkdtempSync(join(tmpdir(), 'aftershock-bench-large-'));
try {
  const control = await largeMarket(dir, 'control');
  console.log(row('fixture inputs (control)', 0, 0, await loadInChild(control.market)));
  for (const size of sizes) {
    for (const [target, filler] of [['snapshot', 'repeated'], ['daily', 'garbage']] as const) {
      const t0 = performance.now();
      const m = await largeMarket(dir, `${target}-${size}`, { target, filler, bytes: size * MB });
      const gen = performance.now() - t0;
      console.log(row(`${target === 'snapshot' ? 'after snapshot, rows repeated' : 'BTC daily, garbage + duplicates'}, streamed`, m.bytes, gen, await loadInChild(m.market, {}, 600_000)));
      if (whole && target === 'snapshot') {
        console.log(row('after snapshot read whole (old way)', m.bytes, 0, await loadInChild(m.market, { mode: 'whole', file: join(m.market, 'deribit', AFTER) }, 600_000)));
      }
      remove(m.market);
    }
  }
} finally {
  remove(dir);
}
