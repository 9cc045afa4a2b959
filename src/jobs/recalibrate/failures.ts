/**
 * Per-object failures of a run (DESIGN.md §3): a stage that fails for one object (an expiry, an underlying, an
 * account) records it and goes on. `add` records a failure that makes the run `partial`; `note` records a flagged
 * fallback that the run survives complete (e.g. one expiry fitted from its neighbours), reported but not failing.
 */
import type { ProgressListener } from '../progress.ts';

/** One recorded failure or note. */
export interface StageFailure {
  readonly stage: string;
  readonly object: string;
  readonly reason: string;
  /** true: makes the run partial; false: a flagged fallback, reported only. */
  readonly fatal: boolean;
}

/** Collects failures in the order they happen and forwards each as a progress event. */
export class StageFailures {
  readonly list: StageFailure[] = [];
  constructor(private readonly listener: ProgressListener | undefined, private readonly now: () => number) {}
  add(stage: string, object: string, reason: string): void {
    this.push({ stage, object, reason, fatal: true });
  }
  note(stage: string, object: string, reason: string): void {
    this.push({ stage, object, reason, fatal: false });
  }
  get fatalCount(): number {
    return this.list.filter((f) => f.fatal).length;
  }
  private push(f: StageFailure): void {
    this.list.push(Object.freeze(f));
    if (f.fatal && this.listener !== undefined) {
      try {
        this.listener({ type: 'object-failure', stage: f.stage, object: f.object, reason: f.reason, at: this.now() });
      } catch {
        // a listener must not break the run
      }
    }
  }
}
