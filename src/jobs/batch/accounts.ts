/**
 * The accounts of a stress batch: the valid accounts of a portfolio file (fixtures/portfolios format) in file order;
 * shard k holds accounts [k * shardSize, (k + 1) * shardSize). Accounts the parser rejects are counted in the batch's
 * source, not sharded. Workers re-read the file recorded in the batch (cached per path and content length + mtime).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadPortfolioFile } from '../../risk/portfolio/load/index.ts';
import type { Account, PortfolioFailure } from '../../risk/portfolio/types.ts';
import { BatchInputError } from './errors.ts';

/** Where a batch's accounts come from, as recorded in `batches.source`. */
export interface BatchSource {
  /** Absolute path of the portfolio file. */
  readonly portfolios: string;
  /** Accounts the parser rejected (not in any shard). */
  readonly rejectedAccounts: number;
}

/** A loaded portfolio file. */
export interface BatchAccounts {
  readonly path: string;
  readonly accounts: readonly Account[];
  readonly failures: readonly PortfolioFailure[];
}

const cache = new Map<string, { readonly key: string; readonly value: Promise<BatchAccounts> }>();

/**
 * Loads the accounts of the portfolio file at `path` (resolved to absolute), from a per-process cache while the
 * file's size and mtime are unchanged. Throws BatchInputError('portfolios') when the file cannot be read or is not
 * a portfolio document.
 */
export async function loadBatchAccounts(path: string): Promise<BatchAccounts> {
  const abs = resolve(path);
  let key: string;
  try {
    const s = await stat(abs);
    key = `${s.size}:${s.mtimeMs}`;
  } catch (error) {
    throw new BatchInputError('portfolios', abs, `cannot read the portfolio file: ${(error as Error).message}`);
  }
  const hit = cache.get(abs);
  if (hit !== undefined && hit.key === key) return hit.value;
  const value = (async () => {
    const parsed = await loadPortfolioFile(abs);
    const whole = parsed.failures.find((f) => f.accountIndex === -1);
    if (whole !== undefined) throw new BatchInputError('portfolios', abs, `not a portfolio document: ${whole.detail}`);
    return Object.freeze({ path: abs, accounts: parsed.accounts, failures: parsed.failures });
  })();
  cache.set(abs, { key, value });
  value.catch(() => cache.delete(abs));
  return value;
}

/** The accounts of shard `shardIndex` (possibly empty past the end). */
export function shardAccounts(accounts: readonly Account[], shardIndex: number, shardSize: number): readonly Account[] {
  return accounts.slice(shardIndex * shardSize, (shardIndex + 1) * shardSize);
}
