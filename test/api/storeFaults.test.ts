/**
 * Store faults as HTTP problems: a database unavailable past the store's retry budget, lost during a commit, or full,
 * answers 503 application/problem+json without the database's address (the error is logged in full as internal).
 */
import { describe, expect, it } from 'vitest';
import { toProblem } from '../../src/api/errorHandler.ts';
import { StoreBusyError, StoreFullError, StoreUnavailableError } from '../../src/store/index.ts';

const TARGET = 'postgres://aftershock@10.1.2.3:5432/venue';

describe('store faults -> 503 problems', () => {
  it('unavailable past the retry budget: 503 with Retry-After, no address, logged as internal', () => {
    const { problem, internal } = toProblem(new StoreUnavailableError(TARGET, 'ECONNREFUSED', 8, 7100, false, new Error('x')));
    expect(problem.status).toBe(503);
    expect(problem.detail).not.toContain('10.1.2.3');
    expect(problem.headers['retry-after']).toBe('5');
    expect(internal).toBe(true);
  });

  it('lost during a commit: 503 saying the outcome is unknown', () => {
    const { problem } = toProblem(new StoreUnavailableError(TARGET, 'ECONNRESET', 1, 0, true, new Error('x')));
    expect(problem.status).toBe(503);
    expect(problem.detail).toMatch(/may or may not have been applied/);
    expect(problem.detail).not.toContain('10.1.2.3');
  });

  it('full: 503 saying the write was rolled back; busy stays 503 with Retry-After 1', () => {
    const full = toProblem(new StoreFullError(TARGET, 'SQLITE_FULL', new Error('x'))).problem;
    expect(full.status).toBe(503);
    expect(full.detail).toMatch(/full/);
    expect(full.detail).not.toContain('10.1.2.3');
    const busy = toProblem(new StoreBusyError(TARGET, new Error('x'))).problem;
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
  });
});
