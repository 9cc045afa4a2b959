/**
 * The progress renderer: off a terminal (or with --json) exact JSON log lines on stderr, stage-progress throttled
 * to one per 250 ms of event time per stage with the first and last always written; on a (fake) terminal,
 * cli-progress bars that render the stages and stop without throwing; stdout is never written.
 */
import { describe, expect, it } from 'vitest';
import { createProgressRenderer, progressLogLine } from '../../src/cli/progress.ts';
import type { ProgressEvent } from '../../src/jobs/index.ts';

/** A fake stream recording what is written. */
function fakeStream(tty: boolean): { write(s: string): boolean; text(): string; readonly isTTY: boolean; readonly columns: number } {
  const chunks: string[] = [];
  return {
    isTTY: tty,
    columns: 100,
    write: (s: string) => {
      chunks.push(s);
      return true;
    },
    text: () => chunks.join(''),
  };
}

const T = Date.UTC(2026, 1, 5, 12, 0, 0);

describe('progress renderer, not a terminal: JSON log lines on stderr', () => {
  it('writes one exact line per event, throttles stage progress, always keeps the first and last', () => {
    const out = fakeStream(false);
    const err = fakeStream(false);
    const r = createProgressRenderer({ json: false, tty: false, out, err });
    const events: ProgressEvent[] = [
      { type: 'stage-start', stage: 'surfaces', index: 2, stages: 12, total: 4, at: T },
      { type: 'stage-progress', stage: 'surfaces', done: 1, total: 4, at: T + 10 }, // first: written
      { type: 'stage-progress', stage: 'surfaces', done: 2, total: 4, at: T + 100 }, // within 250 ms: held
      { type: 'object-failure', stage: 'surfaces', object: 'BTC 2026-03-27', reason: 'fewer than 5 quotes', at: T + 150 },
      { type: 'stage-progress', stage: 'surfaces', done: 3, total: 4, at: T + 260 }, // 250 ms after the first: written
      { type: 'stage-progress', stage: 'surfaces', done: 4, total: 4, at: T + 270 }, // last (done = total): written
      { type: 'stage-end', stage: 'surfaces', done: 4, total: 4, failures: 1, elapsedMs: 300, at: T + 300 },
      { type: 'message', stage: null, text: 'report written', at: T + 400 },
    ];
    for (const e of events) r.listener(e);
    r.close();
    expect(err.text().split('\n')).toEqual([
      '{"time":"2026-02-05T12:00:00.000Z","level":"info","type":"stage-start","stage":"surfaces","index":2,"stages":12,"total":4}',
      '{"time":"2026-02-05T12:00:00.010Z","level":"info","type":"stage-progress","stage":"surfaces","done":1,"total":4}',
      '{"time":"2026-02-05T12:00:00.150Z","level":"warn","type":"object-failure","stage":"surfaces","object":"BTC 2026-03-27","reason":"fewer than 5 quotes"}',
      '{"time":"2026-02-05T12:00:00.260Z","level":"info","type":"stage-progress","stage":"surfaces","done":3,"total":4}',
      '{"time":"2026-02-05T12:00:00.270Z","level":"info","type":"stage-progress","stage":"surfaces","done":4,"total":4}',
      '{"time":"2026-02-05T12:00:00.300Z","level":"info","type":"stage-end","stage":"surfaces","done":4,"total":4,"failures":1,"elapsedMs":300}',
      '{"time":"2026-02-05T12:00:00.400Z","level":"info","type":"message","stage":null,"text":"report written"}',
      '',
    ]);
    expect(out.text()).toBe('');
  });

  it('a dense stream gives at most one line per 250 ms per stage, plus the last one held back before stage-end', () => {
    const err = fakeStream(false);
    const r = createProgressRenderer({ json: true, tty: true, out: fakeStream(true), err }); // --json wins over the terminal
    r.listener({ type: 'stage-start', stage: 'revaluation', index: 5, stages: 12, total: 10_000, at: T });
    r.listener({ type: 'stage-start', stage: 'margin', index: 6, stages: 12, total: 100, at: T });
    // 2 s of events every ms for revaluation (done < total throughout), interleaved with margin every 10 ms
    for (let ms = 0; ms < 2000; ms++) {
      r.listener({ type: 'stage-progress', stage: 'revaluation', done: ms + 1, total: 10_000, at: T + ms });
      if (ms % 10 === 0) r.listener({ type: 'stage-progress', stage: 'margin', done: Math.min(100, ms / 10 + 1), total: 100, at: T + ms });
    }
    r.listener({ type: 'stage-end', stage: 'revaluation', done: 2000, total: 10_000, failures: 0, elapsedMs: 2000, at: T + 2000 });
    r.close(); // margin never ended: its held-back line is flushed on close
    const lines = err.text().trim().split('\n').map((l) => JSON.parse(l) as { type: string; stage: string; done: number; time: string });
    const reval = lines.filter((l) => l.type === 'stage-progress' && l.stage === 'revaluation');
    // written at 0, 250, 500, ..., 1750 ms (8 lines), then the last (done 2000) before stage-end
    expect(reval.map((l) => l.done)).toEqual([1, 251, 501, 751, 1001, 1251, 1501, 1751, 2000]);
    const ends = lines.findIndex((l) => l.type === 'stage-end');
    expect(lines[ends - 1]).toMatchObject({ stage: 'revaluation', done: 2000 });
    const margin = lines.filter((l) => l.type === 'stage-progress' && l.stage === 'margin');
    // 0, 250, 500, 750 ms, then done = total at 990 ms (always written); the repeats of 100/100 after it are dropped
    expect(margin.map((l) => l.done)).toEqual([1, 26, 51, 76, 100]);
    for (const stage of [reval, margin]) {
      for (let i = 1; i < stage.length - 1; i++) {
        expect(Date.parse(stage[i]!.time) - Date.parse(stage[i - 1]!.time)).toBeGreaterThanOrEqual(250);
      }
    }
  });

  it('ignores events after close and never throws on a broken stream', () => {
    const broken = { isTTY: false, write: () => { throw new Error('EPIPE'); } };
    const r = createProgressRenderer({ json: false, tty: false, out: broken, err: broken });
    expect(() => r.listener({ type: 'message', stage: null, text: 'x', at: T })).not.toThrow();
    r.close();
    const err = fakeStream(false);
    const r2 = createProgressRenderer({ json: false, tty: false, out: err, err });
    r2.close();
    r2.listener({ type: 'message', stage: null, text: 'late', at: T });
    expect(err.text()).toBe('');
    expect(progressLogLine({ type: 'message', stage: 's', text: 't', at: Number.NaN })).toBe('{"time":null,"level":"info","type":"message","stage":"s","text":"t"}');
  });
});

describe('progress renderer on a terminal: cli-progress bars', () => {
  it('draws one bar per stage with done/total and elapsed, logs failures above, and stops without throwing', () => {
    const out = fakeStream(true);
    const err = fakeStream(true);
    const r = createProgressRenderer({ json: false, tty: true, out, err });
    r.listener({ type: 'stage-start', stage: 'load', index: 0, stages: 12, total: 3, at: T });
    r.listener({ type: 'stage-progress', stage: 'load', done: 3, total: 3, at: T + 1 });
    r.listener({ type: 'stage-end', stage: 'load', done: 3, total: 3, failures: 0, elapsedMs: 1, at: T + 1 });
    r.listener({ type: 'stage-start', stage: 'surfaces', index: 2, stages: 12, total: 8, at: T + 2 });
    r.listener({ type: 'object-failure', stage: 'surfaces', object: 'ETH 2026-06-26', reason: 'calendar arbitrage', at: T + 3 });
    r.listener({ type: 'stage-progress', stage: 'surfaces', done: 5, total: 8, at: T + 4 });
    r.listener({ type: 'stage-end', stage: 'surfaces', done: 8, total: 8, failures: 1, elapsedMs: 2, at: T + 5 });
    r.listener({ type: 'message', stage: 'report', text: 'written to /tmp/r1.html', at: T + 6 });
    expect(() => r.close()).not.toThrow();
    expect(() => r.close()).not.toThrow(); // idempotent
    // eslint-disable-next-line no-control-regex
    const plain = err.text().replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(plain).toMatch(/load {9}\|[=]{30}\| 3\/3 \d+s/);
    expect(plain).toMatch(/surfaces {5}\|[=]{30}\| 8\/8 \d+s {2}1 failed/);
    expect(plain).toContain('surfaces: ETH 2026-06-26: calendar arbitrage\n');
    expect(plain).toContain('report: written to /tmp/r1.html\n');
    expect(out.text()).toBe('');
    r.listener({ type: 'stage-start', stage: 'late', index: 11, stages: 12, total: 1, at: T + 7 }); // after close: ignored
    expect(err.text()).not.toContain('late');
  });
});
