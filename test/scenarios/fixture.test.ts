/**
 * End to end on the fixture data: the nine daily price histories, the 2026-02-05 incident treated per
 * models/incident-policy/1.0.0.json, and every generator with its committed model. Each set is built twice to
 * check that it is reproduced exactly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePerpetualFuturesCsv } from '../../src/market/index.ts';
import { alignLogReturns } from '../../src/market/returns/index.ts';
import {
  expectValid, filteredHistoricalScenarios, futuresMarkObservations, historicalScenarios, hypotheticalScenarios, incidentReplayScenarios,
  incidentWindowTreatment, spanScenarios, validateDeribitGridModel, validateFilteredHistoricalModel, validateHistoricalModel,
  validateHypotheticalModel, validateIncidentPolicy, validateIncidentReplayModel, validateSpanModel, venueGridScenarios, type ScenarioSet,
} from '../../src/scenarios/index.ts';
import { atmTermStructure, cryptoDailySeries, drawdownIncident, readJson, repoPath } from './helpers.ts';

const incident = drawdownIncident();
const policy = expectValid(validateIncidentPolicy(readJson('models/incident-policy/1.0.0.json')), 'policy');
const hsModel = expectValid(validateHistoricalModel(readJson('models/scenarios/historical/1.0.0.json')), 'hs');
const fhsModel = expectValid(validateFilteredHistoricalModel(readJson('models/scenarios/filtered-historical/1.0.0.json')), 'fhs');
const asOf = '2026-02-06';

describe('scenarios from the fixture histories with the 2026-02-05 incident per policy', () => {
  const window = incidentWindowTreatment(incident, policy);
  const build = () => alignLogReturns(cryptoDailySeries(), { gaps: 'drop-row', windows: [window] });
  const aligned = build();

  it('market-shock policy: the window is kept as the stress period 2026-02-05-drawdown; gaps are reported', () => {
    expect(window.treatment).toBe('keep-as-stress');
    expect(aligned.stressPeriods.map((p) => [p.name, p.dates])).toEqual([['2026-02-05-drawdown', ['2026-02-04', '2026-02-05']]]);
    expect(aligned.gaps.map((g) => g.kind)).toEqual([...Array(7).fill('outside-coverage'), ...Array(5).fill('calendar')]);
  });

  const sets: Array<[string, () => ScenarioSet]> = [
    ['historical', () => historicalScenarios(build(), hsModel, { asOf })],
    ['filtered-historical', () => filteredHistoricalScenarios(build(), fhsModel, { asOf })],
    ['venue-grid', () => venueGridScenarios(expectValid(validateDeribitGridModel(readJson('models/scenarios/deribit-grid/1.0.0.json')), 'g'), { underlyings: ['BTC'] })],
    ['span', () => spanScenarios(expectValid(validateSpanModel(readJson('models/scenarios/span/1.0.0.json')), 's'), { underlyings: [...aligned.assets] })],
    ['hypothetical', () => hypotheticalScenarios(expectValid(validateHypotheticalModel(readJson('models/scenarios/hypothetical/1.0.0.json')), 'h'), {
      underlyings: [...aligned.assets], affected: incident.affected.underlyings,
    })],
    ['incident-replay', () => {
      const file = 'fixtures/market/deribit_2025_2026/perpetual_futures_prices.csv';
      const marks = parsePerpetualFuturesCsv(readFileSync(repoPath(file), 'utf8'), { file }).rows;
      return incidentReplayScenarios(incident, expectValid(validateIncidentReplayModel(readJson('models/scenarios/incident-replay/1.0.0.json')), 'r'), {
        underlyings: ['BTC', 'ETH'], observations: futuresMarkObservations(marks),
        atmBefore: { BTC: atmTermStructure('20260204T213308Z', 'BTC') }, atmAfter: { BTC: atmTermStructure('20260205T212937Z', 'BTC') },
      });
    }],
  ];

  it.each(sets)('%s: built twice, identical; records its model version', (kind, make) => {
    const a = make();
    const b = make();
    expect(a.kind).toBe(kind);
    expect(a.modelVersion).toMatch(/^scenarios\/[a-z-]+@1\.0\.0$/);
    expect(b).toEqual(a);
    expect(a.scenarios.length).toBeGreaterThan(0);
    expect(a.spotReturnMatrix.length).toBe(a.scenarios.length * a.underlyings.length);
  });

  it('historical: 750 lookback days to 2026-02-06 plus the named stress periods outside it (the incident inside)', () => {
    const hs = historicalScenarios(aligned, hsModel, { asOf });
    const lookback = hs.scenarios.filter((s) => s.tags.includes('lookback'));
    expect(lookback).toHaveLength(750);
    expect(hs.details['lookback']).toEqual({ from: '2024-01-17', to: '2026-02-06', rows: 750 } /* 750 rows = 752 days: 2026-01-08 and 01-20 are missing */);
    const inc = hs.scenarios.find((s) => s.id === 'hs:2026-02-05')!;
    expect(inc.tags).toEqual(['lookback', 'stress:2026-02-05-drawdown']);
    // 2-day overlapping move ending 2026-02-05 for BTC = close(02-05) / close(02-03) - 1
    expect(inc.spotReturns[hs.underlyings.indexOf('BTC')]).toBeCloseTo(62909.86 / 75770.21 - 1, 12);
    const outside = hs.scenarios.filter((s) => !s.tags.includes('lookback'));
    expect(new Set(outside.flatMap((s) => s.tags))).toEqual(new Set(['stress:may-2021-crash', 'stress:luna-ust-2022-05', 'stress:ftx-2022-11']));
    expect(outside).toHaveLength(12 + 7 + 5);
    // the 2025-10-10 cascade is inside the lookback: tagged, not duplicated
    expect(hs.scenarios.filter((s) => s.tags.includes('stress:cascade-2025-10-10')).every((s) => s.tags.includes('lookback'))).toBe(true);
    expect(hs.scenarios).toHaveLength(750 + 24);
  });

  it('historical on BTC and ETH only reaches back to COVID (2020-03), outside any lookback', () => {
    const two = alignLogReturns(cryptoDailySeries(), { gaps: 'drop-row', assets: ['BTC', 'ETH'], windows: [window] });
    const hs = historicalScenarios(two, hsModel, { asOf });
    const covid = hs.scenarios.filter((s) => s.tags.includes('stress:covid-2020-03'));
    expect(covid.map((s) => s.id)).toEqual(['2020-03-08', '2020-03-09', '2020-03-10', '2020-03-11', '2020-03-12', '2020-03-13', '2020-03-14', '2020-03-15', '2020-03-16'].map((d) => `hs:${d}`));
    // the worst 2-day BTC move of the period (close 2020-03-10 -> 2020-03-12) is below -35 %
    expect(Math.min(...covid.map((s) => s.spotReturns[0] as number))).toBeLessThan(-0.35);
  });

  it('an oracle-manipulation incident on the same window excludes the rows instead: no stress period, no scenario on those days', () => {
    const oracle = incidentWindowTreatment({ ...incident, kind: 'oracle-manipulation' }, policy);
    const ex = alignLogReturns(cryptoDailySeries(), { gaps: 'drop-row', windows: [oracle] });
    expect(ex.excluded.map((e) => e.date)).toEqual(['2026-02-04', '2026-02-05']);
    const hs = historicalScenarios(ex, hsModel, { asOf });
    expect(hs.scenarios.some((s) => s.id === 'hs:2026-02-05' || s.id === 'hs:2026-02-04')).toBe(false);
    expect((hs.details['stressPeriods'] as Array<{ name: string }>).map((p) => p.name)).not.toContain('2026-02-05-drawdown');
  });

  it('filtered historical: revolatilised to the post-incident EWMA vol of each of the nine assets', () => {
    const fhs = filteredHistoricalScenarios(aligned, fhsModel, { asOf });
    const assets = fhs.details['assets'] as Array<{ asset: string; targetVolatility: number }>;
    expect(assets.map((a) => a.asset)).toEqual([...aligned.assets]);
    // post-incident daily vols are high: BTC's EWMA forecast after 2026-02-05 is above 3 % a day
    const btc = assets.find((a) => a.asset === 'BTC')!.targetVolatility;
    expect(btc).toBeGreaterThan(0.03);
    expect(fhs.scenarios.filter((s) => s.id.startsWith('fhs:stress:'))).toHaveLength(2 + 12 + 7 + 5 + 2);
  });
});
