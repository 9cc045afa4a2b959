/**
 * Portfolio JSON parsing and validation (pure): text or a parsed value -> good accounts + one failure per bad account.
 *
 * Accepted documents: `{ "accounts": [ ... ], ...meta }` (the fixture format, `format: "aftershock.portfolios"`) or a
 * bare array of accounts. An account is `{ id, desk, positions: [{ instrument, quantity }], collateral?: [{ asset,
 * quantity }] }` (types.ts). Checks per account, in order, stopping at the first problem: an object; `id` a non-empty
 * string not seen before in the document; `desk` a non-empty string; `positions` an array of objects with a
 * non-empty string `instrument` and a finite number `quantity`; `collateral` (optional, default []) an array of
 * objects with an asset code (`[A-Z][A-Z0-9]*`) and a finite quantity >= 0; no other keys. Instrument names are not
 * resolved here (see `resolvePortfolio`).
 */
import type { Account, CollateralHolding, PortfolioFailure, PortfolioFailureReason, PortfolioParseResult, Position } from './types.ts';

/** Options of the portfolio parsers. */
export interface PortfolioParseOptions {
  /** Label written into failures (loaders pass the file name). Default `'<input>'`. */
  readonly file?: string;
}

const ACCOUNT_KEYS = new Set(['id', 'desk', 'positions', 'collateral']);
const POSITION_KEYS = new Set(['instrument', 'quantity']);
const COLLATERAL_KEYS = new Set(['asset', 'quantity']);
/** Asset code of a collateral holding or spot position. */
export const ASSET_CODE = /^[A-Z][A-Z0-9]*$/;

interface Problem {
  readonly field: string;
  readonly reason: PortfolioFailureReason;
  readonly value?: unknown;
  readonly detail: string;
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function extraKey(o: Record<string, unknown>, allowed: ReadonlySet<string>, prefix: string): Problem | null {
  for (const k of Object.keys(o)) {
    if (!allowed.has(k)) return { field: `${prefix}${k}`, reason: 'extra-field', detail: `unexpected field '${k}'` };
  }
  return null;
}

function nonEmptyString(o: Record<string, unknown>, key: string, prefix: string): Problem | string {
  const v = o[key];
  if (v === undefined) return { field: `${prefix}${key}`, reason: 'missing-field', detail: `'${key}' is required` };
  if (typeof v !== 'string') return { field: `${prefix}${key}`, reason: 'bad-type', value: v, detail: `'${key}' must be a string` };
  if (v.trim() === '') return { field: `${prefix}${key}`, reason: 'empty-value', value: v, detail: `'${key}' must not be empty` };
  return v;
}

function finiteNumber(o: Record<string, unknown>, key: string, prefix: string, nonNegative: boolean): Problem | number {
  const v = o[key];
  if (v === undefined) return { field: `${prefix}${key}`, reason: 'missing-field', detail: `'${key}' is required` };
  if (typeof v !== 'number') return { field: `${prefix}${key}`, reason: 'bad-type', value: v, detail: `'${key}' must be a number` };
  if (!Number.isFinite(v)) return { field: `${prefix}${key}`, reason: 'not-finite', value: v, detail: `'${key}' must be finite` };
  if (nonNegative && v < 0) return { field: `${prefix}${key}`, reason: 'negative', value: v, detail: `'${key}' must be >= 0` };
  return v;
}

function checkPositions(raw: unknown): Problem | Position[] {
  if (raw === undefined) return { field: 'positions', reason: 'missing-field', detail: "'positions' is required (may be empty)" };
  if (!Array.isArray(raw)) return { field: 'positions', reason: 'bad-type', value: raw, detail: "'positions' must be an array" };
  const out: Position[] = [];
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i] as unknown;
    const prefix = `positions[${i}].`;
    if (!isObject(p)) return { field: `positions[${i}]`, reason: 'not-an-object', value: p, detail: 'a position must be an object' };
    const extra = extraKey(p, POSITION_KEYS, prefix);
    if (extra) return extra;
    const instrument = nonEmptyString(p, 'instrument', prefix);
    if (typeof instrument !== 'string') return instrument;
    const quantity = finiteNumber(p, 'quantity', prefix, false);
    if (typeof quantity !== 'number') return quantity;
    out.push(Object.freeze({ instrument, quantity }));
  }
  return out;
}

function checkCollateral(raw: unknown): Problem | CollateralHolding[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return { field: 'collateral', reason: 'bad-type', value: raw, detail: "'collateral' must be an array" };
  const out: CollateralHolding[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as unknown;
    const prefix = `collateral[${i}].`;
    if (!isObject(c)) return { field: `collateral[${i}]`, reason: 'not-an-object', value: c, detail: 'a holding must be an object' };
    const extra = extraKey(c, COLLATERAL_KEYS, prefix);
    if (extra) return extra;
    const asset = nonEmptyString(c, 'asset', prefix);
    if (typeof asset !== 'string') return asset;
    if (!ASSET_CODE.test(asset)) return { field: `${prefix}asset`, reason: 'unknown-asset', value: asset, detail: 'an asset code is upper-case letters and digits, e.g. BTC, USDC' };
    const quantity = finiteNumber(c, 'quantity', prefix, true);
    if (typeof quantity !== 'number') return quantity;
    out.push(Object.freeze({ asset, quantity }));
  }
  return out;
}

/**
 * Validates one account value. Returns the frozen Account or the first problem (with the id when usable).
 * `seenIds` (optional) detects duplicates; the id is added when the account is accepted.
 */
export function validateAccount(raw: unknown, seenIds?: Set<string>): { readonly account: Account } | { readonly problem: Problem; readonly id: string | null } {
  if (!isObject(raw)) return { problem: { field: '', reason: 'not-an-object', value: raw, detail: 'an account must be an object' }, id: null };
  const id = nonEmptyString(raw, 'id', '');
  if (typeof id !== 'string') return { problem: id, id: null };
  if (seenIds?.has(id)) return { problem: { field: 'id', reason: 'duplicate-id', value: id, detail: 'an earlier account has the same id' }, id };
  const extra = extraKey(raw, ACCOUNT_KEYS, '');
  if (extra) return { problem: extra, id };
  const desk = nonEmptyString(raw, 'desk', '');
  if (typeof desk !== 'string') return { problem: desk, id };
  const positions = checkPositions(raw['positions']);
  if (!Array.isArray(positions)) return { problem: positions, id };
  const collateral = checkCollateral(raw['collateral']);
  if (!Array.isArray(collateral)) return { problem: collateral, id };
  seenIds?.add(id);
  return { account: Object.freeze({ id, desk, positions: Object.freeze(positions), collateral: Object.freeze(collateral) }) };
}

/** Builds the failure record of a problem. */
export function portfolioFailure(file: string, accountIndex: number, accountId: string | null, p: Problem, instruments?: readonly string[]): PortfolioFailure {
  return Object.freeze({
    file, accountIndex, accountId, field: p.field, reason: p.reason,
    ...(p.value === undefined ? {} : { value: p.value }),
    detail: p.detail,
    ...(instruments === undefined ? {} : { instruments: Object.freeze([...instruments]) }),
  });
}

/** Validates a parsed portfolio document (see the module comment). Never throws on data. */
export function validatePortfolio(doc: unknown, options: PortfolioParseOptions = {}): PortfolioParseResult {
  const file = options.file ?? '<input>';
  let list: unknown;
  let meta: Record<string, unknown> = {};
  if (Array.isArray(doc)) list = doc;
  else if (isObject(doc)) {
    list = doc['accounts'];
    meta = Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'accounts'));
  }
  if (!Array.isArray(list)) {
    const failure = portfolioFailure(file, -1, null, {
      field: 'accounts', reason: 'bad-document', value: Array.isArray(doc) ? doc : isObject(doc) ? doc['accounts'] : doc,
      detail: "expected an array of accounts or an object with an 'accounts' array",
    });
    return Object.freeze({ accounts: Object.freeze([]), failures: Object.freeze([failure]), meta: Object.freeze(meta) });
  }
  const accounts: Account[] = [];
  const failures: PortfolioFailure[] = [];
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const r = validateAccount(raw, seen);
    if ('account' in r) accounts.push(r.account);
    else failures.push(portfolioFailure(file, i, r.id, r.problem));
  });
  return Object.freeze({ accounts: Object.freeze(accounts), failures: Object.freeze(failures), meta: Object.freeze(meta) });
}

/** Parses portfolio JSON text; text that is not JSON gives one document-level `bad-json` failure. */
export function parsePortfolioJson(text: string, options: PortfolioParseOptions = {}): PortfolioParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (e) {
    const failure = portfolioFailure(options.file ?? '<input>', -1, null, { field: '', reason: 'bad-json', detail: (e as Error).message });
    return Object.freeze({ accounts: Object.freeze([]), failures: Object.freeze([failure]), meta: Object.freeze({}) });
  }
  return validatePortfolio(doc, options);
}
