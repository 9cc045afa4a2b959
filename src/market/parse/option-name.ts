/**
 * Row steps (pure) shared by the parsers of venue option files whose rows carry a Deribit option name
 * (`BTC-27MAR26-100000-C`) next to cells that restate it (type, strike, expiry).
 */

import { InstrumentNameError } from '../errors.ts';
import { tryParseInstrumentName, type OptionInstrument } from '../instrument.ts';
import type { OptionType } from '../types.ts';
import type { RowReader } from './table.ts';

/**
 * Reads the non-empty `column` as an option name: the parsed option, or `null` when the row has already failed
 * or the name is bad (`bad-instrument-name`, with the parser's reason or `not an option (<kind>)`, recorded).
 */
export function readOptionName(r: RowReader, column: string): { readonly name: string; readonly option: OptionInstrument | null } {
  const name = r.text(column);
  const inst = r.failure === null ? tryParseInstrumentName(name) : null;
  if (inst instanceof InstrumentNameError) r.fail(column, 'bad-instrument-name', name, inst.reason);
  else if (inst !== null && inst.kind !== 'option') r.fail(column, 'bad-instrument-name', name, `not an option (${inst.kind})`);
  return { name, option: inst !== null && !(inst instanceof InstrumentNameError) && inst.kind === 'option' ? inst : null };
}

/** The row's cells that restate the option name, with their column names. */
export interface OptionNameCells {
  readonly typeColumn: string;
  readonly type: OptionType;
  readonly strikeColumn: string;
  readonly strike: number;
  readonly expiryColumn: string;
  /** Expiry read from the row, UTC epoch ms. */
  readonly expiryTimestampMs: number;
  /** How the name's expiry (UTC epoch ms) is written in the failure detail. */
  readonly formatExpiry: (expiryTimestampMs: number) => string;
}

/**
 * Checks type, strike and expiry cells (in that order) against the name; records the first disagreement as
 * `inconsistent` (raw cell text, detail `instrument name says …`) and returns whether all three agree.
 */
export function matchesOptionName(r: RowReader, option: OptionInstrument, cells: OptionNameCells): boolean {
  if (option.type !== cells.type) {
    r.fail(cells.typeColumn, 'inconsistent', r.raw(cells.typeColumn), `instrument name says ${option.type}`);
  } else if (option.strike !== cells.strike) {
    r.fail(cells.strikeColumn, 'inconsistent', r.raw(cells.strikeColumn), `instrument name says ${option.strike}`);
  } else if (option.expiryTimestampMs !== cells.expiryTimestampMs) {
    r.fail(cells.expiryColumn, 'inconsistent', r.raw(cells.expiryColumn), `instrument name says ${cells.formatExpiry(option.expiryTimestampMs)}`);
  } else {
    return true;
  }
  return false;
}
