/** Shared helpers of the store suite: a manual clock, run factories, exact-bit float patterns. */
import { afterEach, beforeEach } from 'vitest';
import { createRun, finishRun } from '../../src/store/index.ts';
import type { CreateRunInput, ObjectFailure, OpenStoreOptions, RunRecord, Store } from '../../src/store/index.ts';
import { createTestDatabase } from '../support/db.ts';
import type { Backend, TestDatabase } from '../support/db.ts';

/** A clock the test moves by hand (ms UTC). */
export interface ManualClock {
  (): number;
  set(ms: number): void;
  advance(ms: number): void;
}

/** 2026-02-05T00:00:00Z. */
export const T0 = Date.UTC(2026, 1, 5);

export function manualClock(start = T0): ManualClock {
  let t = start;
  const clock = (() => t) as ManualClock;
  clock.set = (ms) => {
    t = ms;
  };
  clock.advance = (ms) => {
    t += ms;
  };
  return clock;
}

/** Per-test database and store for `backend`: `ctx.db`, `ctx.store`, `ctx.clock`, cleaned up after each test. */
export function useTestStore(backend: Backend, options: OpenStoreOptions = {}): {
  readonly db: TestDatabase;
  readonly store: Store;
  readonly clock: ManualClock;
  open(extra?: OpenStoreOptions): Promise<Store>;
} {
  let db: TestDatabase | undefined;
  let store: Store | undefined;
  const clock = manualClock();
  beforeEach(async () => {
    clock.set(T0);
    db = await createTestDatabase(backend);
    store = await db.open({ clock, ...options });
  });
  afterEach(async () => {
    await db?.cleanup();
    db = undefined;
    store = undefined;
  });
  return {
    get db() {
      if (!db) throw new Error('no test database outside a test');
      return db;
    },
    get store() {
      if (!store) throw new Error('no test store outside a test');
      return store;
    },
    clock,
    open: (extra = {}) => {
      if (!db) throw new Error('no test database outside a test');
      return db.open({ clock, ...options, ...extra });
    },
  };
}

/** A run's provenance with sensible defaults. */
export function runInput(id: string, extra: Partial<CreateRunInput> = {}): CreateRunInput {
  return {
    id,
    inputHashes: { 'chains/before.csv': 'sha256:aa11', 'chains/after.csv': 'sha256:bb22' },
    modelVersions: { 'margin/deribit-pm': '1.0.0', 'surface/svi': '1.0.0' },
    codeVersion: '0.1.0+abc1234',
    seed: 20260205,
    ...extra,
  };
}

/** Creates run `id` and finishes it as a candidate (or partial with `failures`). */
export async function finishedRun(store: Store, id: string, failures: readonly ObjectFailure[] = []): Promise<RunRecord> {
  await createRun(store, runInput(id));
  return failures.length === 0
    ? finishRun(store, id, { status: 'candidate', summary: { shadow: { accounts: 3 } } })
    : finishRun(store, id, { status: 'partial', objectFailures: failures });
}

/** Float64 bit patterns that a lossy path would change: NaN payloads and signs, -0, subnormals, infinities. */
export const SPECIAL_BITS: readonly bigint[] = [
  0x7ff8000000000000n, // quiet NaN
  0x7ff0000000000001n, // signalling NaN, payload 1
  0xfff8000000000abcn, // negative quiet NaN with a payload
  0x7ffc0000deadbeefn, // quiet NaN, large payload
  0x8000000000000000n, // -0
  0x0000000000000000n, // +0
  0x0000000000000001n, // smallest subnormal
  0x000fffffffffffffn, // largest subnormal
  0x800ffffffffffffen, // negative subnormal
  0x0010000000000000n, // smallest normal
  0x7fefffffffffffffn, // largest finite
  0x7ff0000000000000n, // +Infinity
  0xfff0000000000000n, // -Infinity
  0x3fd5555555555555n, // 1/3
];

/** A Float64Array holding exactly the bit patterns `bits`. */
export function fromBits(bits: readonly bigint[]): Float64Array {
  const out = new Float64Array(bits.length);
  new BigUint64Array(out.buffer).set(bits);
  return out;
}

/** The bit patterns of `values` (never read through a JS number). */
export function bitsOf(values: Float64Array): bigint[] {
  return [...new BigUint64Array(values.buffer, values.byteOffset, values.length)];
}
