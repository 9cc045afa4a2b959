/**
 * Deribit-style instrument names: options (`BTC-27MAR26-90000-C`, `XRP_USDC-27MAR26-2d5-P`), dated futures
 * (`BTC-27MAR26`, synthetic forwards `SYN.BTC-6FEB26`), perpetuals (`BTC-PERPETUAL`, `BTC_USDC-PERPETUAL`) and
 * spot (`BTC`, `BTC_USDC`).
 *
 * Settlement: a bare coin name (`BTC-…`, `ETH-…`) is the venue's coin-settled **inverse** contract, settled in
 * that coin; a name with a quote suffix (`_USDC`, `_USDT`) is **linear**, settled in the suffix currency.
 * Deribit options and futures expire at 08:00 UTC of the named day. Spot holdings are valued linearly in USD.
 */

import { InstrumentNameError } from './errors.ts';
import type { OptionType, Settlement } from './types.ts';
import { isCalendarDate } from './time.ts';

interface InstrumentBase {
  /** The full name as given. */
  readonly name: string;
  /** Base asset, e.g. `BTC`. */
  readonly underlying: string;
  /** `inverse` for bare coin names, `linear` for `_USDC`/`_USDT` names and spot. */
  readonly settlement: Settlement;
  /** Currency the contract settles (and, for options, is priced) in: the coin for inverse, else the suffix. */
  readonly settlementCurrency: string;
}

/** A parsed option name. */
export interface OptionInstrument extends InstrumentBase {
  readonly kind: 'option';
  /** Expiry instant, 08:00 UTC of the named day, epoch ms. */
  readonly expiryTimestampMs: number;
  /** Strike, USD (a `d` in the name is a decimal point: `2d5` = 2.5). */
  readonly strike: number;
  readonly type: OptionType;
}

/** A parsed dated future (or a venue synthetic forward `SYN.…`). */
export interface FutureInstrument extends InstrumentBase {
  readonly kind: 'future';
  /** Expiry instant, 08:00 UTC of the named day, epoch ms. */
  readonly expiryTimestampMs: number;
  /** True for the venue's synthetic forward names (`SYN.BTC-6FEB26`), which are not tradeable. */
  readonly synthetic: boolean;
}

/** A parsed perpetual swap. */
export interface PerpetualInstrument extends InstrumentBase {
  readonly kind: 'perpetual';
}

/** A spot holding (`BTC`) or spot pair (`BTC_USDC`). */
export interface SpotInstrument extends InstrumentBase {
  readonly kind: 'spot';
}

/** Any parsed instrument. */
export type Instrument = OptionInstrument | FutureInstrument | PerpetualInstrument | SpotInstrument;

const MONTHS: Readonly<Record<string, number>> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12,
};

/** Hour (UTC) at which Deribit options and futures expire. */
export const DERIBIT_EXPIRY_HOUR_UTC = 8;

const ASSET = '([A-Z][A-Z0-9]*)(?:_([A-Z]+))?';
const DATE = '(\\d{1,2})([A-Z]{3})(\\d{2})';
const OPTION_RE = new RegExp(`^${ASSET}-${DATE}-(\\d+(?:d\\d+|\\.\\d+)?)-([CP])$`);
const FUTURE_RE = new RegExp(`^(SYN\\.)?${ASSET}-${DATE}$`);
const PERPETUAL_RE = new RegExp(`^${ASSET}-PERPETUAL$`);
const SPOT_RE = new RegExp(`^${ASSET}$`);

/**
 * Parses a Deribit-style expiry code `DMMMYY` (e.g. `6FEB26`, `27MAR26`) to 08:00 UTC of that day, epoch ms,
 * or `null` when it is not a real date.
 */
export function parseDeribitExpiryCode(code: string): number | null {
  const m = /^(\d{1,2})([A-Z]{3})(\d{2})$/.exec(code);
  if (m === null) return null;
  return expiryFromParts(m[1] as string, m[2] as string, m[3] as string);
}

function expiryFromParts(dayText: string, monText: string, yyText: string): number | null {
  const month = MONTHS[monText];
  if (month === undefined) return null;
  const year = 2000 + Number(yyText);
  const day = Number(dayText);
  if (!isCalendarDate(year, month, day)) return null;
  return Date.UTC(year, month - 1, day, DERIBIT_EXPIRY_HOUR_UTC);
}

function base(name: string, underlying: string, suffix: string | undefined): InstrumentBase {
  return suffix === undefined
    ? { name, underlying, settlement: 'inverse', settlementCurrency: underlying }
    : { name, underlying, settlement: 'linear', settlementCurrency: suffix };
}

/**
 * Parses an instrument name, or returns an `InstrumentNameError` (never throws). See the module doc for the
 * accepted forms.
 */
export function tryParseInstrumentName(name: string): Instrument | InstrumentNameError {
  let m = OPTION_RE.exec(name);
  if (m !== null) {
    const expiry = expiryFromParts(m[3] as string, m[4] as string, m[5] as string);
    if (expiry === null) return new InstrumentNameError(name, 'invalid expiry date');
    const strike = Number((m[6] as string).replace('d', '.'));
    if (!(strike > 0) || !Number.isFinite(strike)) return new InstrumentNameError(name, 'strike must be positive');
    return Object.freeze({
      ...base(name, m[1] as string, m[2]),
      kind: 'option' as const,
      expiryTimestampMs: expiry,
      strike,
      type: m[7] === 'C' ? ('call' as const) : ('put' as const),
    });
  }
  m = PERPETUAL_RE.exec(name);
  if (m !== null) {
    return Object.freeze({ ...base(name, m[1] as string, m[2]), kind: 'perpetual' as const });
  }
  m = FUTURE_RE.exec(name);
  if (m !== null) {
    const expiry = expiryFromParts(m[4] as string, m[5] as string, m[6] as string);
    if (expiry === null) return new InstrumentNameError(name, 'invalid expiry date');
    return Object.freeze({
      ...base(name, m[2] as string, m[3]),
      kind: 'future' as const,
      expiryTimestampMs: expiry,
      synthetic: m[1] !== undefined,
    });
  }
  m = SPOT_RE.exec(name);
  if (m !== null) {
    return Object.freeze({
      name,
      underlying: m[1] as string,
      settlement: 'linear' as const,
      settlementCurrency: m[2] ?? 'USD',
      kind: 'spot' as const,
    });
  }
  return new InstrumentNameError(name, 'not a Deribit option, future, perpetual or spot name');
}

/** Parses an instrument name; throws `InstrumentNameError` (field `instrument`) when it cannot be parsed. */
export function parseInstrumentName(name: string): Instrument {
  const result = tryParseInstrumentName(name);
  if (result instanceof InstrumentNameError) throw result;
  return result;
}
