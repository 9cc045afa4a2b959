import { describe, expect, it } from 'vitest';
import { expectValid, validateIncident, validateIncidentPolicy, type Incident } from '../../src/scenarios/index.ts';
import { incidentResidualAddOn, MarginInputError } from '../../src/risk/margin/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';

const policy = expectValid(validateIncidentPolicy(readJsonFixture('models/incident-policy/1.0.0.json')), 'policy');
const drawdown = expectValid(validateIncident(readJsonFixture('fixtures/incidents/2026-02-05-drawdown.json')), 'incident');
const DAY = 86_400_000;
const bases = [{ underlying: 'BTC', amountUsd: 1_000_000 }, { underlying: 'ETH', amountUsd: -400_000 }, { underlying: 'SOL', amountUsd: 9e9 }];

describe('incident residual-risk add-on (models/incident-policy, the 2026-02-05 market-shock fixture)', () => {
  it('full rate (5 %) on the affected underlyings until the incident ends; SOL is not affected', () => {
    const r = incidentResidualAddOn({ incident: drawdown, policy, asOfMs: drawdown.endedAtMs, bases });
    expect(r).toMatchObject({ incidentId: '2026-02-05-drawdown', rate: 0.05, initialRate: 0.05, halfLifeDays: 10, decayStartMs: drawdown.endedAtMs });
    expect(r.byUnderlying).toEqual({ BTC: 50_000, ETH: 20_000 });
    expect(r.addOnUsd).toBe(70_000);
  });

  it('halves every half-life (10 days) after the end, and is 0 before the incident starts', () => {
    const at = (days: number) => incidentResidualAddOn({ incident: drawdown, policy, asOfMs: drawdown.endedAtMs + days * DAY, bases }).addOnUsd;
    expect(at(10)).toBeCloseTo(35_000, 8);
    expect(at(20)).toBeCloseTo(17_500, 8);
    expect(at(5) / at(15)).toBeCloseTo(2, 12);
    expect(at(3.7) / at(13.7)).toBeCloseTo(2, 12);
    expect(incidentResidualAddOn({ incident: drawdown, policy, asOfMs: drawdown.startedAtMs - 1, bases }).addOnUsd).toBe(0);
  });

  it('the decay starts at patchedAt when the incident was patched (exploit: 15 %, 30 days)', () => {
    const exploit: Incident = expectValid(validateIncident({
      id: 'bridge-exploit', title: 'synthetic exploit', kind: 'exploit', startedAt: '2026-01-10T00:00:00Z', endedAt: '2026-01-10T06:00:00Z',
      patchedAt: '2026-01-12T00:00:00Z', affected: { underlyings: ['ETH'] }, severity: 4, notes: 'test',
    }), 'incident');
    const r0 = incidentResidualAddOn({ incident: exploit, policy, asOfMs: exploit.patchedAtMs as number, bases });
    expect(r0.addOnUsd).toBeCloseTo(0.15 * 400_000, 9);
    const r30 = incidentResidualAddOn({ incident: exploit, policy, asOfMs: (exploit.patchedAtMs as number) + 30 * DAY, bases });
    expect(r30.addOnUsd).toBeCloseTo(0.075 * 400_000, 9);
    expect(r30.decayStartMs).toBe(exploit.patchedAtMs);
  });

  it('bad inputs name the field', () => {
    expect(() => incidentResidualAddOn({ incident: drawdown, policy, asOfMs: Number.NaN, bases })).toThrow(MarginInputError);
    expect(() => incidentResidualAddOn({ incident: drawdown, policy, asOfMs: 0, bases: [{ underlying: 'BTC', amountUsd: Number.NaN }] })).toThrow(/bases\[0\]\.amountUsd/);
  });
});
