/**
 * Parser (pure) for the project's canonical option CSV: `underlying, expiry, strike, type, bid, ask, forward,
 * timestamp`, prices in USD, linear settlement.
 *
 * - `expiry`: ISO-8601 date-time with offset (`2026-03-27T08:00:00Z`), or a date `YYYY-MM-DD` taken at
 *   `expiryTimeUtc` (default `08:00`, the Deribit convention).
 * - `type`: `call`/`put` or `C`/`P` (case-insensitive).
 * - `bid`, `ask`: USD, empty = side absent. `forward`: USD, empty = unknown (estimate it by put-call parity
 *   with `resolveForwards`). `timestamp`: ISO-8601 with offset, or epoch ms (13 digits) / s (10 digits).
 * - Optional columns: `instrument` (default `UNDERLYING-YYYY-MM-DD-STRIKE-C|P`), `mark`, `index` (USD),
 *   `rate` (continuously compounded premium discount rate; empty = unknown).
 */

import type { ParseResult, UnresolvedOptionQuote } from '../types.ts';
import { formatUtcDate, parseDateOnlyUtc, parseIsoDateTimeUtc } from '../time.ts';
import { DuplicateDetector } from './table.ts';
import { failIfDuplicate, parseTableRows } from './rows.ts';
import { finalizeUnresolvedQuote, latestQuoteTimestamp, type QuoteDraft } from './quote-draft.ts';
import type { OptionParseOptions } from './options.ts';
import { MarketInputError } from '../errors.ts';

/** Required columns of the canonical option CSV. */
export const CANONICAL_OPTION_COLUMNS = Object.freeze([
  'underlying',
  'expiry',
  'strike',
  'type',
  'bid',
  'ask',
  'forward',
  'timestamp',
] as const);

/** Options of `parseCanonicalOptionCsv`. */
export interface CanonicalOptionParseOptions extends OptionParseOptions {
  /** UTC time of day `HH:MM` applied to date-only expiries. Default `'08:00'`. */
  readonly expiryTimeUtc?: string;
}

/**
 * Parses a canonical option CSV into unresolved quotes (forward/rate `null` where the file leaves them empty).
 * One failure per bad row: empty or bad cells, non-positive strike or forward, negative prices, unknown type,
 * bad expiry/timestamp, duplicate (underlying, expiry, strike, type).
 */
export function parseCanonicalOptionCsv(
  text: string,
  options: CanonicalOptionParseOptions = {},
): ParseResult<UnresolvedOptionQuote> {
  const file = options.file ?? '<input>';
  const timeOfDay = parseTimeOfDay(options.expiryTimeUtc ?? '08:00');
  const dup = new DuplicateDetector();
  const { rows: drafts, failures } = parseTableRows(file, text, CANONICAL_OPTION_COLUMNS, (r): QuoteDraft | undefined => {
    const underlying = r.text('underlying');
    const expiryText = r.text('expiry');
    let expiryTimestampMs = Number.NaN;
    if (r.failure === null) {
      const day = parseDateOnlyUtc(expiryText);
      const t = day !== null ? day + timeOfDay : parseIsoDateTimeUtc(expiryText);
      if (t === null) r.fail('expiry', 'bad-date', expiryText);
      else expiryTimestampMs = t;
    }
    const strike = r.number('strike', 'positive');
    const type = r.optionType('type');
    const bid = r.number('bid', 'nonnegative', true);
    const ask = r.number('ask', 'nonnegative', true);
    const forward = r.number('forward', 'positive', true);
    const quoteTimestampMs = r.timestamp('timestamp');
    const mark = r.number('mark', 'nonnegative', true);
    const index = r.number('index', 'positive', true);
    const rate = r.number('rate', 'any', true);
    const instrumentCell = r.raw('instrument');
    if (r.failure === null) {
      const key = `${underlying}|${expiryTimestampMs}|${strike}|${type}`;
      failIfDuplicate(r, dup, key, 'strike', r.raw('strike'), (first) => `same underlying/expiry/strike/type as line ${first}`);
    }
    if (r.failure !== null) return undefined;
    return {
      underlying,
      instrument:
        instrumentCell !== ''
          ? instrumentCell
          : `${underlying}-${formatUtcDate(expiryTimestampMs)}-${strike}-${type === 'call' ? 'C' : 'P'}`,
      expiryTimestampMs,
      strike,
      type,
      bid,
      ask,
      mark: mark ?? undefined,
      index: index ?? undefined,
      settlement: 'linear',
      currency: 'USD',
      quoteTimestampMs,
      forward,
      rate,
    };
  });
  const asOfMs = options.asOfMs ?? latestQuoteTimestamp(drafts);
  return { rows: drafts.map((d) => finalizeUnresolvedQuote(d, asOfMs)), failures };
}

function parseTimeOfDay(text: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  const h = Number(m?.[1]);
  const mi = Number(m?.[2]);
  if (m === null || h > 23 || mi > 59) {
    throw new MarketInputError('expiryTimeUtc', text, 'expected HH:MM (UTC)');
  }
  return (h * 60 + mi) * 60_000;
}
