/**
 * Holds the active calibration in memory and swaps it atomically. `current` is one reference to an immutable
 * {@link CalibrationSnapshot}; a refresh reads the store's active pointer and, when its generation differs from the
 * snapshot's, loads the new run's data completely and only then replaces the reference in one assignment. Refreshes
 * run one at a time (a queue), so a promotion made through the API (which refreshes before answering) and the
 * periodic poll (which notices a promotion made by another process, e.g. the CLI) never interleave. A failed
 * refresh keeps the previous snapshot and is reported through `onError` and the counters.
 */
import { getActivePointer, getRun } from '../../store/index.ts';
import type { Store } from '../../store/index.ts';
import { emptySnapshot, loadRunCalibration } from './snapshot.ts';
import type { CalibrationSnapshot, RunCalibration } from './snapshot.ts';

/** Options of {@link CalibrationHolder}. */
export interface CalibrationHolderOptions {
  /** Poll period of the active pointer, ms (default 1000; 0 disables polling). */
  readonly pollIntervalMs?: number;
  /** Clock, ms UTC (default Date.now). */
  readonly clock?: () => number;
  /** Runs whose data is kept for reuse (default 3: the active one and the two before it, for rollbacks). */
  readonly keepRuns?: number;
  /** Called with each failed poll or refresh. */
  readonly onError?: (error: unknown) => void;
  /** Called after each swap with the new snapshot. */
  readonly onSwap?: (snapshot: CalibrationSnapshot, previous: CalibrationSnapshot) => void;
}

/** See the module comment. */
export class CalibrationHolder {
  readonly #store: Store;
  readonly #clock: () => number;
  readonly #pollIntervalMs: number;
  readonly #keepRuns: number;
  readonly #onError: (error: unknown) => void;
  readonly #onSwap: (snapshot: CalibrationSnapshot, previous: CalibrationSnapshot) => void;
  readonly #runs = new Map<string, RunCalibration>();
  #current: CalibrationSnapshot;
  #queue: Promise<unknown> = Promise.resolve();
  #inFlight = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  /** Completed swaps. */
  swaps = 0;
  /** Failed refreshes (polls included). */
  refreshErrors = 0;
  /** The pointer generation last read from the store (-1 before the first read). */
  observedGeneration = -1;
  /** When the pointer was last read successfully, ms UTC. */
  lastCheckedAt = 0;

  constructor(store: Store, options: CalibrationHolderOptions = {}) {
    this.#store = store;
    this.#clock = options.clock ?? Date.now;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#keepRuns = Math.max(1, options.keepRuns ?? 3);
    this.#onError = options.onError ?? (() => undefined);
    this.#onSwap = options.onSwap ?? (() => undefined);
    this.#current = emptySnapshot(this.#clock());
  }

  /** The snapshot to serve. Read it once per request. */
  get current(): CalibrationSnapshot {
    return this.#current;
  }

  /** Whether the store's pointer has moved past the snapshot (a refresh failed or is pending). */
  get stale(): boolean {
    return this.observedGeneration !== this.#current.generation;
  }

  /**
   * Reads the active pointer and swaps in a new snapshot if it changed; resolves with the snapshot current
   * afterwards. Queued behind any refresh in progress. Rejects on store errors (the old snapshot stays).
   */
  refresh(): Promise<CalibrationSnapshot> {
    this.#inFlight++;
    const run = this.#queue.then(() => this.#refreshOnce());
    this.#queue = run.catch(() => undefined).finally(() => {
      this.#inFlight--;
    });
    return run;
  }

  /** Starts polling every `pollIntervalMs` (no-op when 0 or already polling). The timer does not keep the process alive. */
  startPolling(): void {
    if (this.#pollIntervalMs <= 0 || this.#timer !== null) return;
    this.#timer = setInterval(() => {
      if (this.#inFlight > 0) return; // a refresh is under way; the next tick checks again
      this.refresh().catch((e: unknown) => this.#onError(e));
    }, this.#pollIntervalMs);
    this.#timer.unref();
  }

  /** Stops polling and waits for a refresh in progress. */
  async stopPolling(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#queue;
  }

  async #refreshOnce(): Promise<CalibrationSnapshot> {
    try {
      const pointer = await getActivePointer(this.#store);
      this.observedGeneration = pointer.generation;
      this.lastCheckedAt = this.#clock();
      const previous = this.#current;
      if (pointer.generation === previous.generation) return previous;
      const run = pointer.runId === null ? null : await getRun(this.#store, pointer.runId);
      const calibration = pointer.runId === null ? null : await this.#runCalibration(pointer.runId);
      const next: CalibrationSnapshot = Object.freeze({
        generation: pointer.generation,
        changedAt: pointer.changedAt,
        loadedAt: this.#clock(),
        run,
        calibration,
      });
      this.#current = next; // the one assignment every reader sees
      this.swaps++;
      this.#onSwap(next, previous);
      return next;
    } catch (e) {
      this.refreshErrors++;
      throw e;
    }
  }

  async #runCalibration(runId: string): Promise<RunCalibration> {
    const cached = this.#runs.get(runId);
    if (cached !== undefined) {
      this.#runs.delete(runId);
      this.#runs.set(runId, cached);
      return cached;
    }
    const loaded = await loadRunCalibration(this.#store, runId);
    this.#runs.set(runId, loaded);
    while (this.#runs.size > this.#keepRuns) this.#runs.delete(this.#runs.keys().next().value as string);
    return loaded;
  }
}
