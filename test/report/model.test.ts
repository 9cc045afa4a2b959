import { describe, expect, it } from 'vitest';
import {
  REPORT_JSON_SCHEMA, ReportInputError, buildReportModel, histogramOf, niceStep, renderReportJson,
} from '../../src/report/index.ts';
import type { ReportInput } from '../../src/report/index.ts';
import { validate } from './jsonSchemaSubset.ts';
import { sampleReportInput } from './sample.ts';

const schema = REPORT_JSON_SCHEMA as unknown as Record<string, unknown>;

describe('report model and its JSON schema', () => {
  const input = sampleReportInput();
  const model = buildReportModel(input);
  const json = renderReportJson(model);

  it('the JSON of the sample model validates against the schema', () => {
    expect(validate(schema, JSON.parse(json))).toEqual([]);
  });

  it('the validator is not vacuous: broken documents fail', () => {
    const doc = JSON.parse(json) as Record<string, any>;
    const cases: [string, (d: Record<string, any>) => void][] = [
      ['missing field', (d) => { delete d.headline.accounts; }],
      ['extra field', (d) => { d.margins.extra = 1; }],
      ['bad zone', (d) => { d.backtests[0].tests.zone = 'amber'; }],
      ['bad hash', (d) => { d.provenance.inputs[0].sha256 = 'XYZ'; }],
      ['string for number', (d) => { d.margins.accounts[0].before = '1'; }],
      ['negative margin', (d) => { d.margins.accounts[0].after = -1; }],
      ['correlation > 1', (d) => { d.correlations[0].after[0][1] = 1.5; }],
      ['non-null smile side', (d) => { d.surfaces[0].expiries[0].before = 3; }],
      ['schema version', (d) => { d.schemaVersion = '0.9.0'; }],
    ];
    for (const [name, mutate] of cases) {
      const copy = structuredClone(doc);
      mutate(copy);
      expect(validate(schema, copy).length, name).toBeGreaterThan(0);
    }
  });

  it('headline and totals reconcile with the accounts', () => {
    const cents = (x: number): number => Math.round(x * 100);
    const before = input.accounts.reduce((s, a) => s + cents(a.before), 0);
    const after = input.accounts.reduce((s, a) => s + cents(a.after), 0);
    expect(cents(model.headline.totalMarginBefore)).toBe(before);
    expect(cents(model.headline.totalMarginAfter)).toBe(after);
    expect(model.headline.accounts).toBe(input.accounts.length);
    expect(model.headline.accountsWithCall).toBe(input.accounts.filter((a) => a.marginCall > 0).length);
    expect(model.margins.accounts.map((a) => a.accountId)).toEqual([...input.accounts.map((a) => a.accountId)].sort());
    const histCount = model.margins.changeHistogram.bins.reduce((s, b) => s + b.count, 0);
    expect(histCount).toBe(input.accounts.length);
  });

  it('top accounts: largest increases first, effects sum to the change', () => {
    expect(model.topAccounts).toHaveLength(10);
    for (let i = 1; i < model.topAccounts.length; i++) {
      expect(model.topAccounts[i - 1]!.change).toBeGreaterThanOrEqual(model.topAccounts[i]!.change);
    }
    const maxChange = Math.max(...model.margins.accounts.map((a) => a.change));
    expect(model.topAccounts[0]!.change).toBe(maxChange);
    for (const a of model.topAccounts) expect(Math.abs(a.effects.reduce((s, e) => s + e.amount, 0) - a.change)).toBeLessThan(0.005);
  });

  it('backtest rows: exception counts and coverage ratio from the days; zones carried', () => {
    for (const [i, b] of model.backtests.entries()) {
      const x = b.days.filter((d) => -d.pnl > d.margin).length;
      expect(b.tests.exceptions).toBe(x);
      expect(b.tests.coverageRatio).toBeCloseTo((b.days.length - x) / b.days.length, 15);
      expect(b.tests.zone).toBe(input.backtests[i]!.tests.zone);
    }
  });

  it('sorting makes the model independent of input order', () => {
    const shuffled: ReportInput = {
      ...input,
      accounts: [...input.accounts].reverse(),
      attributions: [...input.attributions].reverse(),
      provenance: { ...input.provenance, inputs: [...input.provenance.inputs].reverse(), models: [...input.provenance.models].reverse() },
    };
    expect(renderReportJson(buildReportModel(shuffled))).toBe(json);
  });

  it('rejects bad input with the field named', () => {
    const bad = (mutate: (i: any) => void): unknown => {
      const copy = structuredClone(input) as any;
      mutate(copy);
      try { buildReportModel(copy as ReportInput); } catch (e) { return e; }
      return null;
    };
    const e1 = bad((i) => { i.accounts[3].after = Number.NaN; });
    expect(e1).toBeInstanceOf(ReportInputError);
    expect((e1 as ReportInputError).field).toBe('accounts[3].after');
    const e2 = bad((i) => { i.attributions[0].effects[0].amount += 1; });
    expect((e2 as ReportInputError).field).toBe('attributions[0].effects');
    const e3 = bad((i) => { i.backtests[1].exceptions[7] = !i.backtests[1].exceptions[7]; });
    expect((e3 as ReportInputError).field).toBe('backtests[1].exceptions[7]');
    const e4 = bad((i) => { i.correlations[0].after.pop(); });
    expect((e4 as ReportInputError).field).toBe('correlations[0].after');
    const e5 = bad((i) => { i.accounts[1].accountId = i.accounts[0].accountId; });
    expect((e5 as ReportInputError).message).toContain('duplicate');
  });

  it('the model is deeply frozen', () => {
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.margins.accounts[0])).toBe(true);
    expect(Object.isFrozen(model.surfaces[0]!.expiries[0]!.after!.quotes)).toBe(true);
  });
});

describe('histogram bins', () => {
  it('nice steps are 1-2-5 multiples of powers of ten', () => {
    expect([0.07, 0.1, 0.11, 1.5, 3, 7, 49_999, 50_001].map(niceStep)).toEqual([0.1, 0.1, 0.2, 2, 5, 10, 50_000, 100_000]);
  });
  it('counts every value once, edges on multiples of the width, max in the last bin', () => {
    const values = [-3.2, -1, 0, 0.3, 2.5, 7, 7.0];
    const h = histogramOf(values, 5);
    expect(h.binWidth).toBe(5);
    expect(h.bins.map((b) => [b.lower, b.upper, b.count])).toEqual([[-5, 0, 2], [0, 5, 3], [5, 10, 2]]);
    expect(histogramOf([10, 20, 30], 2).bins.reduce((s, b) => s + b.count, 0)).toBe(3);
    expect(histogramOf([10, 20, 30], 2).bins.length).toBeLessThanOrEqual(2);
    expect(histogramOf([], 10)).toEqual({ binWidth: 0, bins: [] });
    // edges are clean decimals (no 0.30000000000000004) and the maximum sits in the closed last bin
    expect(histogramOf([0.1, 0.2, 0.3], 3).bins.map((b) => [b.lower, b.upper, b.count])).toEqual([[0.1, 0.2, 1], [0.2, 0.3, 2]]);
  });
});
