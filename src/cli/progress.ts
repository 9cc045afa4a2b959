/**
 * Rendering a job's progress events (src/jobs/progress.ts) for the command line:
 * - on a terminal (and not --json): cli-progress bars on `err`, one per stage as it starts, showing the stage,
 *   done/total and elapsed time; per-object failures and messages are printed above the bars;
 * - otherwise: one JSON log line per event on `err` (`{"time":ISO,"level":"info"|"warn","type":...,...}`), so that
 *   with --json stdout stays one document. Stage-progress lines are throttled per stage to one per
 *   `minIntervalMs` (default 250 ms, i.e. at most 4 a second) of the events' own `at` clock; the first progress
 *   event of a stage and its last (done = total, or the latest one held back when the stage ends or the renderer
 *   closes) are always written; a repeat of the last written done/total is dropped.
 * `out` (the command's result stream) is never written by either renderer. The listener never throws.
 */
import cliProgress from 'cli-progress';
import type { SingleBar } from 'cli-progress';
import type { ProgressEvent, ProgressListener } from '../jobs/index.ts';

/** A stream the renderer writes to (process.stderr, or a test's fake). */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link createProgressRenderer}. */
export interface ProgressRendererOptions {
  /** --json was given: never draw bars. */
  readonly json: boolean;
  /** `err` is a terminal (e.g. process.stderr.isTTY === true). */
  readonly tty: boolean;
  /** The command's result stream; not written by the renderer (kept for the caller's symmetry). */
  readonly out: ProgressStream;
  /** Where bars or log lines go. */
  readonly err: ProgressStream;
  /** Least time between two logged stage-progress lines of one stage, ms (default 250). */
  readonly minIntervalMs?: number;
}

/** A progress renderer: pass `listener` to the job, call `close()` when it ends (stops the bars' timer). */
export interface ProgressRenderer {
  readonly listener: ProgressListener;
  close(): void;
}

/** The renderer for these options: bars on a terminal unless --json, JSON log lines otherwise. */
export function createProgressRenderer(options: ProgressRendererOptions): ProgressRenderer {
  return options.tty && !options.json ? createBarRenderer(options.err) : createLogRenderer(options.err, options.minIntervalMs ?? 250);
}

/** One JSON log line for `event`: `time` (ISO, from `at`), `level`, then the event's fields except `at`. */
export function progressLogLine(event: ProgressEvent): string {
  const { at, ...fields } = event;
  const time = Number.isFinite(at) ? new Date(at).toISOString() : null;
  return JSON.stringify({ time, level: event.type === 'object-failure' ? 'warn' : 'info', ...fields });
}

function createLogRenderer(err: ProgressStream, minIntervalMs: number): ProgressRenderer {
  /** Per stage: the last progress line written (time, done, total) and the latest one held back. */
  interface StageState {
    lastAt: number | null;
    lastDone: number;
    lastTotal: number;
    pending: ProgressEvent | null;
  }
  const fresh = (): StageState => ({ lastAt: null, lastDone: Number.NaN, lastTotal: Number.NaN, pending: null });
  const stages = new Map<string, StageState>();
  let closed = false;
  const write = (e: ProgressEvent): void => {
    err.write(`${progressLogLine(e)}\n`);
  };
  const flush = (stage: string): void => {
    const s = stages.get(stage);
    if (s?.pending) {
      write(s.pending);
      s.pending = null;
    }
  };
  const listener: ProgressListener = (event) => {
    if (closed) return;
    try {
      if (event.type === 'stage-start') stages.set(event.stage, fresh());
      if (event.type === 'stage-progress') {
        const s = stages.get(event.stage) ?? fresh();
        stages.set(event.stage, s);
        if (event.done === s.lastDone && event.total === s.lastTotal) {
          s.pending = null; // nothing new since the last line
          return;
        }
        const last = event.done >= event.total;
        if (s.lastAt === null || last || event.at - s.lastAt >= minIntervalMs) {
          s.pending = null;
          s.lastAt = event.at;
          s.lastDone = event.done;
          s.lastTotal = event.total;
          write(event);
        } else {
          s.pending = event;
        }
        return;
      }
      if (event.type === 'stage-end') flush(event.stage);
      write(event);
    } catch {
      // a broken stderr must not stop the job
    }
  };
  return {
    listener,
    close: () => {
      if (closed) return;
      try {
        for (const stage of stages.keys()) flush(stage);
      } catch {
        // as above
      }
      closed = true;
    },
  };
}

const STAGE_WIDTH = 12;

function createBarRenderer(err: ProgressStream): ProgressRenderer {
  const multibar = new cliProgress.MultiBar({
    stream: err as NodeJS.WritableStream,
    format: '{stage} |{bar}| {value}/{total} {duration_formatted}{note}',
    barsize: 30,
    clearOnComplete: false,
    hideCursor: false, // a killed job must not leave the terminal without a cursor
    gracefulExit: false, // SIGINT keeps its default meaning
    emptyOnZero: true,
  });
  const bars = new Map<string, SingleBar>();
  let closed = false;
  const barOf = (stage: string, total: number): SingleBar => {
    let bar = bars.get(stage);
    if (bar === undefined) {
      bar = multibar.create(Math.max(0, total), 0, { stage: stage.padEnd(STAGE_WIDTH), note: '' });
      bars.set(stage, bar);
    }
    return bar;
  };
  const listener: ProgressListener = (event) => {
    if (closed) return;
    try {
      switch (event.type) {
        case 'stage-start':
          barOf(event.stage, event.total);
          break;
        case 'stage-progress': {
          const bar = barOf(event.stage, event.total);
          bar.setTotal(Math.max(0, event.total));
          bar.update(event.done);
          break;
        }
        case 'stage-end': {
          const bar = barOf(event.stage, event.total);
          bar.setTotal(Math.max(0, event.total));
          bar.update(event.done, { note: event.failures > 0 ? `  ${event.failures} failed` : '' });
          bar.stop();
          break;
        }
        case 'object-failure':
          multibar.log(`${event.stage}: ${event.object}: ${event.reason}\n`);
          break;
        case 'message':
          multibar.log(`${event.stage === null ? '' : `${event.stage}: `}${event.text}\n`);
          break;
      }
    } catch {
      // a broken terminal must not stop the job
    }
  };
  return {
    listener,
    close: () => {
      if (closed) return;
      closed = true;
      try {
        multibar.update(); // writes lines logged since the last redraw
        multibar.stop();
      } catch {
        // as above
      }
    },
  };
}
