import { describe, expect, it } from 'vitest';
import { buildPriceSeries, MarketInputError, type PricePoint } from '../../src/market/index.ts';
import {
  alignLogReturns, applyWindows, createReturnsPanel, returnRows, returnsMatrix, selectAssets, type WindowTreatment,
} from '../../src/market/returns/index.ts';

const P = (asset: string, date: string, close: number): PricePoint => ({ asset, date, close });
const ms = (iso: string): number => Date.parse(iso);

// A: every day 01..07 except the calendar hole 05 (missing for everyone);
// B: misses 03 inside its range; C: starts on 04.
const closes: Record<string, Record<string, number>> = {
  A: { '2026-01-01': 100, '2026-01-02': 110, '2026-01-03': 99, '2026-01-04': 104, '2026-01-06': 120, '2026-01-07': 118 },
  B: { '2026-01-01': 10, '2026-01-02': 10.5, '2026-01-04': 9.5, '2026-01-06': 9.8, '2026-01-07': 10.1 },
  C: { '2026-01-04': 2, '2026-01-06': 2.2, '2026-01-07': 2.1 },
};
const points = Object.entries(closes).flatMap(([a, byDate]) => Object.entries(byDate).map(([d, c]) => P(a, d, c)));
const { series } = buildPriceSeries(points);
const lr = (a: string, d1: string, d0: string): number => Math.log((closes[a]?.[d1] as number) / (closes[a]?.[d0] as number));

describe('alignLogReturns: alignment by date with explicit gaps', () => {
  it('keep-nan: a NaN wherever a close is missing (never forward-filled), values = ln(P_t / P_prev)', () => {
    const r = alignLogReturns(series, { gaps: 'keep-nan' });
    expect(r.assets).toEqual(['A', 'B', 'C']);
    expect(r.dates).toEqual(['2026-01-02', '2026-01-03', '2026-01-04', '2026-01-06', '2026-01-07']);
    const m = returnsMatrix(r);
    expect(m[0]).toEqual([lr('A', '2026-01-02', '2026-01-01'), lr('B', '2026-01-02', '2026-01-01'), Number.NaN]);
    // B misses 01-03: its returns on 01-03 AND 01-04 are gaps; a forward fill would give ln(9.5/10.5) on 01-04
    expect(m[1]?.[1]).toBeNaN();
    expect(m[2]?.[1]).toBeNaN();
    expect(m[2]?.[0]).toBe(lr('A', '2026-01-04', '2026-01-03'));
    // 01-05 is missing for everyone: the 01-06 row spans 2 days and is kept as such, tagged
    expect(Array.from(r.spanDays)).toEqual([1, 1, 1, 2, 1]);
    expect(r.tags[3]).toEqual(['calendar-gap']);
    expect(m[3]).toEqual([lr('A', '2026-01-06', '2026-01-04'), lr('B', '2026-01-06', '2026-01-04'), lr('C', '2026-01-06', '2026-01-04')]);
    expect(r.gaps).toEqual([
      { kind: 'missing-price', date: '2026-01-03', toDate: '2026-01-03', rows: 1, assets: ['B'], action: 'kept-nan' },
      { kind: 'missing-price', date: '2026-01-04', toDate: '2026-01-04', rows: 1, assets: ['B'], action: 'kept-nan' },
      { kind: 'outside-coverage', date: '2026-01-02', toDate: '2026-01-04', rows: 3, assets: ['C'], action: 'kept-nan' },
      { kind: 'calendar', date: '2026-01-06', toDate: '2026-01-06', rows: 1, assets: ['A', 'B', 'C'], spanDays: 2, action: 'kept-span' },
    ]);
    expect(r.coverage.map((c) => [c.asset, c.firstDate, c.lastDate, c.closes])).toEqual([
      ['A', '2026-01-01', '2026-01-07', 6], ['B', '2026-01-01', '2026-01-07', 5], ['C', '2026-01-04', '2026-01-07', 3],
    ]);
    expect(Array.from(r.weights)).toEqual([1, 1, 1, 1, 1]);
  });

  it('drop-row drops every row with a gap and says so; calendarGaps drop-row drops the multi-day row too', () => {
    const r = alignLogReturns(series, { gaps: 'drop-row' });
    expect(r.dates).toEqual(['2026-01-06', '2026-01-07']);
    expect(r.gaps.filter((g) => g.kind !== 'calendar').every((g) => g.action === 'dropped')).toBe(true);
    const r2 = alignLogReturns(series, { gaps: 'drop-row', calendarGaps: 'drop-row' });
    expect(r2.dates).toEqual(['2026-01-07']);
    expect(r2.gaps.find((g) => g.kind === 'calendar')?.action).toBe('dropped');
    // two assets only: C is not in the calendar any more, B's gap remains
    const r3 = alignLogReturns(series, { gaps: 'drop-row', assets: ['B', 'A'] });
    expect(r3.assets).toEqual(['B', 'A']);
    expect(r3.dates).toEqual(['2026-01-02', '2026-01-06', '2026-01-07']);
    expect(returnRows(r3)[0]?.[1]).toBe(lr('A', '2026-01-02', '2026-01-01'));
  });

  it('from/to select return dates but use the close before `from`', () => {
    const r = alignLogReturns(series, { gaps: 'keep-nan', assets: ['A'], from: '2026-01-03', to: '2026-01-06' });
    expect(r.dates).toEqual(['2026-01-03', '2026-01-04', '2026-01-06']);
    expect(r.returns[0]).toBe(lr('A', '2026-01-03', '2026-01-02'));
  });

  it('rejects implicit or bad options with the field named', () => {
    expect(() => alignLogReturns(series, {} as never)).toThrow(/options\.gaps/);
    expect(() => alignLogReturns(series, { gaps: 'drop-row', assets: ['A', 'Z'] })).toThrow(MarketInputError);
    expect(() => alignLogReturns(series, { gaps: 'drop-row', assets: ['A', 'Z'] })).toThrow(/options\.assets\[1\]/);
    expect(() => alignLogReturns(series, { gaps: 'drop-row', from: '2026-13-01' })).toThrow(/options\.from/);
    const w = { name: 'x', startMs: 0, endMs: 1, treatment: 'downweight' } as WindowTreatment;
    expect(() => alignLogReturns(series, { gaps: 'drop-row', windows: [w] })).toThrow(/options\.windows\[0\]\.weight/);
    expect(() => alignLogReturns(series, { gaps: 'drop-row', windows: [{ ...w, weight: 0.5, endMs: -1 }] })).toThrow(/endMs/);
  });
});

describe('incident windows on return rows', () => {
  // row D covers (D 00:00Z, D+1 00:00Z]; a window 2026-01-03T21:33Z .. 2026-01-04T21:30Z overlaps rows 01-03 and 01-04
  const win = { name: 'inc', startMs: ms('2026-01-03T21:33:00Z'), endMs: ms('2026-01-04T21:30:00Z') };

  it('exclude removes the rows and records them', () => {
    const r = alignLogReturns(series, { gaps: 'keep-nan', assets: ['A'], windows: [{ ...win, treatment: 'exclude' }] });
    expect(r.dates).toEqual(['2026-01-02', '2026-01-06', '2026-01-07']);
    expect(r.excluded).toEqual([{ date: '2026-01-03', window: 'inc' }, { date: '2026-01-04', window: 'inc' }]);
    expect(r.stressPeriods).toEqual([]);
  });

  it('keep-as-stress tags the rows and lists a named stress period', () => {
    const r = alignLogReturns(series, { gaps: 'keep-nan', assets: ['A'], windows: [{ ...win, treatment: 'keep-as-stress' }] });
    expect(r.dates).toHaveLength(5);
    expect(r.tags.map((t) => t.includes('stress:inc'))).toEqual([false, true, true, false, false]);
    expect(r.stressPeriods).toEqual([{ name: 'inc', from: '2026-01-03', to: '2026-01-04', dates: ['2026-01-03', '2026-01-04'] }]);
  });

  it('downweight sets the weight of the rows in the window only', () => {
    const r = alignLogReturns(series, { gaps: 'keep-nan', assets: ['A'], windows: [{ ...win, treatment: 'downweight', weight: 0.25, stress: true }] });
    expect(Array.from(r.weights)).toEqual([1, 0.25, 0.25, 1, 1]);
    expect(r.tags[1]).toEqual(['downweighted:inc', 'stress:inc']);
    expect(r.stressPeriods[0]?.dates).toEqual(['2026-01-03', '2026-01-04']);
  });

  it('overlap boundaries: a window inside one day selects one row; an edge at a close instant belongs to both rows', () => {
    const rows = { dates: ['d1', 'd2'], intervalStart: [0, 10], intervalEnd: [10, 20], tags: [[], []] as string[][] };
    const one = applyWindows(rows, [{ name: 'w', startMs: 12, endMs: 15, treatment: 'exclude' }]);
    expect(one.keep).toEqual([0]);
    const edge = applyWindows({ ...rows, tags: [[], []] }, [{ name: 'w', startMs: 10, endMs: 10, treatment: 'exclude' }]);
    // (0,10] contains 10; (10,20] does not start before 10
    expect(edge.keep).toEqual([1]);
  });
});

describe('panel helpers', () => {
  it('selectAssets and createReturnsPanel keep shapes and reject ragged input', () => {
    const p = createReturnsPanel({ dates: ['2026-01-01', '2026-01-02'], assets: ['X', 'Y'], returns: [[0.1, 0.2], [0.3, 0.4]] });
    expect(Array.from(selectAssets(p, ['Y']).returns)).toEqual([0.2, 0.4]);
    expect(() => createReturnsPanel({ dates: ['a', 'b'], assets: ['X'], returns: [[1]] })).toThrow(/returns/);
    expect(() => createReturnsPanel({ dates: ['b', 'a'], assets: ['X'], returns: [[1], [2]] })).toThrow(/dates\[1\]/);
    expect(() => selectAssets(p, ['Z'])).toThrow(/assets\[0\]/);
  });
});
