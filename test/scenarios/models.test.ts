import { describe, expect, it } from 'vitest';
import {
  INCIDENT_KINDS, ModelValidationError, incidentWindowTreatment, residualAddOnRate, validateDeribitGridModel, validateFilteredHistoricalModel,
  validateHistoricalModel, validateHypotheticalModel, validateIncident, validateIncidentPolicy, validateIncidentReplayModel, validateSpanModel,
  expectValid, type ModelIssue, type Validated,
} from '../../src/scenarios/index.ts';
import { loadValidated, modelFilePath } from '../../src/scenarios/load/index.ts';
import { drawdownIncident, readJson, repoPath } from './helpers.ts';

const FILES: Array<[string, (json: unknown) => Validated<unknown>]> = [
  ['models/scenarios/deribit-grid/1.0.0.json', validateDeribitGridModel],
  ['models/scenarios/span/1.0.0.json', validateSpanModel],
  ['models/scenarios/historical/1.0.0.json', validateHistoricalModel],
  ['models/scenarios/filtered-historical/1.0.0.json', validateFilteredHistoricalModel],
  ['models/scenarios/hypothetical/1.0.0.json', validateHypotheticalModel],
  ['models/scenarios/incident-replay/1.0.0.json', validateIncidentReplayModel],
  ['models/incident-policy/1.0.0.json', validateIncidentPolicy],
  ['fixtures/incidents/2026-02-05-drawdown.json', validateIncident],
];

/** Deep copy of a JSON file with `edit` applied. */
function edited(path: string, edit: (j: Record<string, any>) => void): unknown {
  const j = structuredClone(readJson(path)) as Record<string, any>;
  edit(j);
  return j;
}
const issues = (r: Validated<unknown>): readonly ModelIssue[] => (r.ok ? [] : r.errors);

describe('committed model files validate', () => {
  it.each(FILES)('%s', (path, validate) => {
    const r = validate(readJson(path));
    expect(issues(r)).toEqual([]);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Object.isFrozen(r.value)).toBe(true);
  });

  it('the loader reads, parses and validates a file; an invalid file names the file and every issue', async () => {
    const grid = await loadValidated(modelFilePath(repoPath('models'), 'scenarios/deribit-grid', '1.0.0'), validateDeribitGridModel);
    expect(grid.currency_pairs['btc_usd']?.price_range).toBe(0.16);
    const err = await loadValidated(repoPath('fixtures/incidents/2026-02-05-drawdown.json'), validateSpanModel).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelValidationError);
    expect((err as ModelValidationError).model).toBe('2026-02-05-drawdown.json');
    expect((err as ModelValidationError).issues.map((i) => i.path)).toContain('model');
  });
});

describe('validators reject bad model JSON with path and reason', () => {
  it('venue grid', () => {
    const r = validateDeribitGridModel(edited('models/scenarios/deribit-grid/1.0.0.json', (j) => {
      j.currency_pairs.btc_usd.price_range = 1.5;
      delete j.currency_pairs.btc_usd.short_term_vega_power;
      j.general.vol_scenarios_count = 5;
      j.extended_moves[2] = 0;
      j.version = '1.0';
      j.colour = 'red';
    }));
    expect(issues(r)).toEqual([
      { path: 'colour', reason: 'unknown field' },
      { path: 'version', reason: "expected a semver x.y.z, got '1.0'" },
      { path: 'general.vol_scenarios_count', reason: 'only 3 (up, same, down) is supported, got 5' },
      { path: 'currency_pairs.btc_usd.price_range', reason: 'must be < 1, got 1.5' },
      { path: 'currency_pairs.btc_usd.short_term_vega_power', reason: 'missing required number' },
      { path: 'extended_moves[2]', reason: 'an extended move must not be 0' },
    ]);
    expect(() => expectValid(r, 'scenarios/deribit-grid')).toThrow(/currency_pairs\.btc_usd\.price_range: must be < 1/);
    expect(issues(validateDeribitGridModel([]))).toEqual([{ path: '$', reason: 'expected an object, got an array' }]);
  });

  it('SPAN, historical, filtered historical, replay', () => {
    expect(issues(validateSpanModel(edited('models/scenarios/span/1.0.0.json', (j) => { j.underlyings.ETH.price_scan_range = 0.6; j.extreme_cover_fraction = 2; })))).toEqual([
      { path: 'underlyings.ETH.price_scan_range', reason: 'must be < 0.5, got 0.6' },
      { path: 'extreme_cover_fraction', reason: 'must be <= 1, got 2' },
      { path: 'underlyings.ETH.price_scan_range', reason: 'extreme move 2 x 0.6 would reach -100 %' },
    ]);
    expect(issues(validateHistoricalModel(edited('models/scenarios/historical/1.0.0.json', (j) => { j.stress_periods[1].to = '2021-05-01'; j.stress_periods[2].name = 'covid-2020-03'; j.mpor_days = 1.5; })))).toEqual([
      { path: 'mpor_days', reason: 'expected an integer, got 1.5' },
      { path: 'stress_periods[1].to', reason: 'ends (2021-05-01) before it starts (2021-05-12)' },
      { path: 'stress_periods[2].name', reason: "duplicate stress period name 'covid-2020-03'" },
    ]);
    expect(issues(validateFilteredHistoricalModel(edited('models/scenarios/filtered-historical/1.0.0.json', (j) => { j.vol_model = { model: 'garch', omega: 1e-6, alpha: 0.3, beta: 0.8 }; j.mpor_scaling = 'cubic'; })))).toEqual([
      { path: 'vol_model.beta', reason: 'alpha + beta must be < 1, got 1.1' },
      { path: 'mpor_scaling', reason: "expected one of 'sqrt', 'overlapping', 'bootstrap', got \"cubic\"" },
    ]);
    expect(issues(validateIncidentReplayModel(edited('models/scenarios/incident-replay/1.0.0.json', (j) => { j.model = 'scenarios/replay'; j.pick = 'first'; })))).toEqual([
      { path: 'model', reason: "expected 'scenarios/incident-replay', got 'scenarios/replay'" },
      { path: 'pick', reason: "expected one of 'covering', 'nearest', got \"first\"" },
    ]);
  });

  it('hypothetical stresses', () => {
    const r = validateHypotheticalModel(edited('models/scenarios/hypothetical/1.0.0.json', (j) => {
      j.stresses[1].id = 'venue-hack';
      j.stresses[2].depeg_return = 0.1;
      j.stresses[3].type = 'meteor';
      j.stresses[4].vol_rule.floorDays = 0;
    }));
    expect(issues(r)).toEqual([
      { path: 'stresses[1].id', reason: "duplicate id 'venue-hack'" },
      { path: 'stresses[2].depeg_return', reason: 'must be <= 0, got 0.1' },
      { path: 'stresses[3].type', reason: "expected one of 'single-asset', 'depeg', 'common-move', 'vol-spike', got \"meteor\"" },
      { path: 'stresses[4].vol_rule.floorDays', reason: 'must be > 0, got 0' },
    ]);
  });

  it('incident policy: every kind, consistent treatment, add-on bounds', () => {
    const r = validateIncidentPolicy(edited('models/incident-policy/1.0.0.json', (j) => {
      delete j.kinds.outage;
      j.kinds['oracle-manipulation'].stress_period = true;
      j.kinds['patch-deployment'].downweight_weight = 1;
      j.kinds['market-shock'].residual_add_on.half_life_days = 0;
      j.kinds.exploit.window_treatment = 'ignore';
      j.kinds.meteor = {};
    }));
    expect(issues(r)).toEqual([
      { path: 'kinds.meteor', reason: 'unknown field' },
      { path: 'kinds.exploit.window_treatment', reason: "expected one of 'exclude', 'keep-as-stress', 'downweight', got \"ignore\"" },
      { path: 'kinds.oracle-manipulation.stress_period', reason: 'an excluded window has no rows left to be a stress period' },
      { path: 'kinds.patch-deployment.downweight_weight', reason: 'must be < 1, got 1' },
      { path: 'kinds.outage', reason: 'missing: every incident kind needs a policy' },
      { path: 'kinds.market-shock.residual_add_on.half_life_days', reason: 'must be > 0, got 0' },
    ]);
  });

  it('incident file', () => {
    const r = validateIncident(edited('fixtures/incidents/2026-02-05-drawdown.json', (j) => {
      j.kind = 'earthquake';
      j.endedAt = '2026-02-04T00:00:00Z';
      j.startedAt = '2026-02-04T21:33:00';
      j.severity = 6;
      j.affected.underlyings = ['BTC', 'btc'];
    }));
    expect(issues(r)).toEqual([
      { path: 'kind', reason: "expected one of 'exploit', 'oracle-manipulation', 'interoperability-failure', 'patch-deployment', 'outage', 'market-shock', got \"earthquake\"" },
      { path: 'startedAt', reason: "expected an ISO-8601 date-time with offset, e.g. 2026-02-05T21:30:00Z, got '2026-02-04T21:33:00'" },
      { path: 'affected.underlyings[1]', reason: 'expected an upper-case asset code, got "btc"' },
      { path: 'severity', reason: 'must be <= 5, got 6' },
    ]);
    const backwards = validateIncident(edited('fixtures/incidents/2026-02-05-drawdown.json', (j) => { j.endedAt = '2026-02-04T00:00:00Z'; }));
    expect(issues(backwards)).toEqual([{ path: 'endedAt', reason: 'ends (2026-02-04T00:00:00Z) before it starts (2026-02-04T21:33:00Z)' }]);
  });
});

describe('incident policy applied to the fixture incident', () => {
  const policy = expectValid(validateIncidentPolicy(readJson('models/incident-policy/1.0.0.json')), 'policy');
  const incident = drawdownIncident();

  it('covers the six kinds; a market shock is kept as a stress period and replayed', () => {
    expect(Object.keys(policy.kinds).sort()).toEqual([...INCIDENT_KINDS].sort());
    expect(incident.kind).toBe('market-shock');
    expect(incidentWindowTreatment(incident, policy)).toEqual({
      name: '2026-02-05-drawdown', startMs: Date.parse('2026-02-04T21:33:00Z'), endMs: Date.parse('2026-02-05T21:30:00Z'), treatment: 'keep-as-stress',
    });
    expect(policy.kinds['market-shock'].replay_scenario).toBe(true);
    expect(incidentWindowTreatment({ ...incident, kind: 'oracle-manipulation' }, policy).treatment).toBe('exclude');
    expect(incidentWindowTreatment({ ...incident, kind: 'interoperability-failure' }, policy)).toMatchObject({ treatment: 'downweight', weight: 0.5, stress: true });
  });

  it('the residual add-on decays with its half-life from endedAt (or patchedAt)', () => {
    const end = incident.endedAtMs;
    expect(residualAddOnRate(incident, policy, end - 1000)).toBe(0.05);
    expect(residualAddOnRate(incident, policy, end + 10 * 86_400_000)).toBeCloseTo(0.025, 15);
    expect(residualAddOnRate(incident, policy, end + 30 * 86_400_000)).toBeCloseTo(0.00625, 15);
    const patched = { ...incident, patchedAtMs: end + 5 * 86_400_000 };
    expect(residualAddOnRate(patched, policy, end + 15 * 86_400_000)).toBeCloseTo(0.025, 15);
  });
});
