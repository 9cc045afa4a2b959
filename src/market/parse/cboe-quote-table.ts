/**
 * Parser (pure) for the CBOE "Delayed Quotes → Quote Table Download" CSV (e.g.
 * `fixtures/market/spx_2011/SPX-Options-24jan2011.csv`), USD-priced, linear, European index options.
 *
 * Layout: line 1 `SPX (S&P 500 INDEX),1290.59,+7.24,` (root and spot); line 2 `Jan 24 2011 @ 14:03 ET,`
 * (quote time, US Eastern); line 3 the header `Calls,Last Sale,Net,Bid,Ask,Vol,Open Int,Puts,…`; then one line
 * per strike pairing a call and a put, each described as `YY Mon STRIKE (ROOT YY DD L STRIKE-E)`, where the
 * month letter L is A–L for January–December calls and M–X for January–December puts.
 *
 * Expiry instants (documented convention): `SPX` monthlies are AM-settled: the symbol's day is the Saturday
 * after the third Friday, so the expiry is that Friday 09:30 ET (the opening settlement); any other root
 * (`SPXW` weeklies, `SPXPM` quarterlies) expires at 16:00 ET on the symbol's day. ET offsets follow the US DST
 * rule. Quotes come out unresolved (`forward`/`rate` null: estimate them by put-call parity), `index` = spot.
 * A bid or ask of 0 is kept as 0 (CBOE's "no bid"; the cleaning rules handle it).
 */

import type { OptionType, ParseFailure, ParseResult, UnresolvedOptionQuote } from '../types.ts';
import { isCalendarDate, usEasternToUtc } from '../time.ts';
import { tokenizeCsv, type CsvRecord } from './csv.ts';
import { DuplicateDetector, failure, indexHeader, RowReader, type Header } from './table.ts';
import { finalizeUnresolvedQuote, type QuoteDraft } from './quote-draft.ts';
import type { OptionParseOptions } from './options.ts';

const MONTH_ABBR: Readonly<Record<string, number>> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};

const QUOTE_TIME = /^([A-Z][a-z]{2}) (\d{1,2}) (\d{4}) @ (\d{1,2}):(\d{2}) ET$/;
const DESCRIPTION = /^\d{2} [A-Z][a-z]{2} (\d+(?:\.\d+)?) \(([A-Z]+)(\d{2})(\d{2})([A-X])(\d+(?:\.\d+)?)-E\)$/;

/** The quote-table preamble: root, spot and quote time. */
export interface CboePreamble {
  readonly root: string;
  readonly spot: number;
  readonly quoteTimestampMs: number;
}

/**
 * Parses a CBOE quote table. Each data line yields a call and a put; a line with any bad half gives one
 * failure and no quotes. `asOfMs` defaults to the quote time of line 2.
 */
export function parseCboeQuoteTableCsv(
  text: string,
  options: OptionParseOptions = {},
): ParseResult<UnresolvedOptionQuote> & { readonly preamble: CboePreamble | null } {
  const file = options.file ?? '<input>';
  const records = tokenizeCsv(text);
  const pre = readPreamble(file, records);
  if ('reason' in pre) return { rows: [], failures: [pre], preamble: null };
  const headerRecord = records[2];
  if (headerRecord === undefined) return { rows: [], failures: [failure(file, 3, '', 'missing-column', undefined, 'no header line')], preamble: pre };
  const header = indexHeader(headerRecord.fields);
  const layout = findLayout(header);
  if (layout === null) {
    return {
      rows: [],
      failures: [failure(file, headerRecord.line, 'Calls', 'missing-column', undefined, 'expected Calls,…,Bid,Ask,…,Puts,…,Bid,Ask')],
      preamble: pre,
    };
  }
  const failures: ParseFailure[] = [];
  const drafts: QuoteDraft[] = [];
  const dup = new DuplicateDetector();
  for (const record of records.slice(3)) {
    const r = new RowReader(file, record, header);
    const halves: QuoteDraft[] = [];
    for (const side of [layout.call, layout.put]) {
      const draft = readHalf(r, record, header, side, pre);
      if (draft !== null) halves.push(draft);
    }
    if (r.failure === null) {
      for (const h of halves) {
        const first = dup.check(h.instrument, r.line);
        if (first !== null) r.fail(header.names[layout.call.spec] ?? '', 'duplicate-key', h.instrument, `first seen on line ${first}`);
      }
    }
    if (r.failure !== null) failures.push(r.failure);
    else drafts.push(...halves);
  }
  const asOfMs = options.asOfMs ?? pre.quoteTimestampMs;
  return { rows: drafts.map((d) => finalizeUnresolvedQuote(d, asOfMs)), failures, preamble: pre };
}

interface SideLayout {
  readonly type: OptionType;
  readonly spec: number;
  readonly bid: number;
  readonly ask: number;
}

function findLayout(header: Header): { call: SideLayout; put: SideLayout } | null {
  const names = header.names;
  const callsAt = names.indexOf('Calls');
  const putsAt = names.indexOf('Puts');
  if (callsAt < 0 || putsAt < 0) return null;
  const side = (type: OptionType, start: number, end: number): SideLayout | null => {
    const bid = names.indexOf('Bid', start);
    const ask = names.indexOf('Ask', start);
    return bid > start && bid < end && ask > start && ask < end ? { type, spec: start, bid, ask } : null;
  };
  const call = side('call', callsAt, putsAt > callsAt ? putsAt : names.length);
  const put = side('put', putsAt, callsAt > putsAt ? callsAt : names.length);
  return call === null || put === null ? null : { call, put };
}

function readHalf(r: RowReader, record: CsvRecord, header: Header, side: SideLayout, pre: CboePreamble): QuoteDraft | null {
  if (r.failure !== null) return null;
  const specName = header.names[side.spec] ?? '';
  const spec = (record.fields[side.spec] ?? '').trim();
  const m = DESCRIPTION.exec(spec);
  if (m === null) {
    r.fail(specName, 'bad-instrument-name', spec, 'expected "YY Mon STRIKE (ROOTYYDDLSTRIKE-E)"');
    return null;
  }
  const strike = Number(m[1]);
  const root = m[2] as string;
  const year = 2000 + Number(m[3]);
  const day = Number(m[4]);
  const letter = (m[5] as string).charCodeAt(0) - 65; // A = 0
  const isCallLetter = letter < 12;
  const month = (letter % 12) + 1;
  if ((side.type === 'call') !== isCallLetter) {
    r.fail(specName, 'inconsistent', spec, `month letter ${m[5]} is a ${isCallLetter ? 'call' : 'put'} code`);
    return null;
  }
  if (!isCalendarDate(year, month, day)) {
    r.fail(specName, 'bad-date', spec, 'invalid expiry date in the symbol');
    return null;
  }
  if (!(strike > 0)) {
    r.fail(specName, 'not-positive', spec);
    return null;
  }
  const bid = r.numberAt(side.bid, 'nonnegative');
  const ask = r.numberAt(side.ask, 'nonnegative');
  if (r.failure !== null) return null;
  return {
    underlying: pre.root,
    instrument: spec.slice(spec.indexOf('(') + 1, -1),
    expiryTimestampMs: expiryInstant(root, year, month, day),
    strike,
    type: side.type,
    bid,
    ask,
    index: pre.spot,
    settlement: 'linear',
    currency: 'USD',
    quoteTimestampMs: pre.quoteTimestampMs,
    forward: null,
    rate: null,
  };
}

/** Expiry instant of a CBOE index option (see the module doc), UTC epoch ms. */
export function cboeExpiryInstant(root: string, year: number, month: number, day: number): number {
  return expiryInstant(root, year, month, day);
}

function expiryInstant(root: string, year: number, month: number, day: number): number {
  if (root === 'SPX') {
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    const friday = new Date(Date.UTC(year, month - 1, weekday === 6 ? day - 1 : day));
    return usEasternToUtc(friday.getUTCFullYear(), friday.getUTCMonth() + 1, friday.getUTCDate(), 9, 30);
  }
  return usEasternToUtc(year, month, day, 16, 0);
}

function readPreamble(file: string, records: readonly CsvRecord[]): CboePreamble | ParseFailure {
  const first = records[0];
  if (first === undefined) return failure(file, 1, '', 'empty-file');
  const rootText = (first.fields[0] ?? '').trim();
  const root = /^([A-Z]+)\b/.exec(rootText)?.[1];
  const spotText = (first.fields[1] ?? '').trim();
  const spot = Number(spotText);
  if (root === undefined) return failure(file, first.line, '#1', 'bad-header', rootText, 'expected "ROOT (NAME)" on line 1');
  if (!/^\d+(?:\.\d+)?$/.test(spotText) || !(spot > 0)) return failure(file, first.line, '#2', 'not-positive', spotText, 'spot on line 1');
  const second = records[1];
  const timeText = (second?.fields[0] ?? '').trim();
  const m = QUOTE_TIME.exec(timeText);
  const month = MONTH_ABBR[m?.[1] ?? ''];
  if (second === undefined || m === null || month === undefined || !isCalendarDate(Number(m[3]), month, Number(m[2]))) {
    return failure(file, second?.line ?? 2, '#1', 'bad-timestamp', timeText, 'expected "Mon D YYYY @ HH:MM ET" on line 2');
  }
  return {
    root,
    spot,
    quoteTimestampMs: usEasternToUtc(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5])),
  };
}
