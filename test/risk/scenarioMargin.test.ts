/**
 * The run's scenario margin (src/risk/margin/scenarioMargin) against a direct computation: the portfolio's P&L vector
 * summed by hand, ES as the mean of the k = ceil(n (1 - alpha)) worst losses (k computed by hand), sqrt(MPOR)
 * scaling, the 25 % buffer, the add-ons and MM = factor x IM.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileScenarioMargin, fhsEsMargin, positionRows, scenarioMargin, scenarioMarginOfRows, RiskInputError } from '../../src/risk/index.ts';
import { ModelValidationError } from '../../src/scenarios/index.ts';
import { createRng } from '../../src/math/index.ts';

const fhs = JSON.parse(readFileSync('models/margin/fhs-es/1.0.0.json', 'utf8')) as Record<string, unknown>;
const policy = JSON.parse(readFileSync('models/incident-policy/1.0.0.json', 'utf8')) as unknown;
const incident = JSON.parse(readFileSync('fixtures/incidents/2026-02-05-drawdown.json', 'utf8')) as { startedAt: string };

const instruments = [
  { id: 'BTC-PERPETUAL', underlying: 'BTC', deltaUsdPerUnit: 70000 },
  { id: 'BTC-27MAR26-90000-C', underlying: 'BTC', deltaUsdPerUnit: 14000 },
  { id: 'ETH-PERPETUAL', underlying: 'ETH', deltaUsdPerUnit: 2000 },
];
const cols = 400;
const rng = createRng(7);
const matrix = new Float64Array(instruments.length * cols);
for (let j = 0; j < cols; j++) {
  const r = 0.04 * rng.nextNormal();
  matrix[j] = 70000 * r;
  matrix[cols + j] = 14000 * r + 9000 * r * r;
  matrix[2 * cols + j] = 2000 * (0.8 * r + 0.03 * rng.nextNormal());
}

function definition(withIncident: boolean): unknown {
  return {
    format: 1, fhsEs: fhs, maintenanceFactor: 0.75,
    incidentAddOn: withIncident ? { incident, policy, asOfMs: Date.parse(incident.startedAt) + 2 * 86_400_000 } : null,
    instruments,
  };
}

describe('scenarioMargin', () => {
  it('equals ES of the hand-summed P&L x sqrt(2) x 1.25 plus the add-ons, MM = 0.75 IM', () => {
    const model = compileScenarioMargin(definition(false));
    const positions = [{ instrument: 'BTC-PERPETUAL', quantity: 1.5 }, { instrument: 'BTC-27MAR26-90000-C', quantity: -4 }, { instrument: 'BTC-PERPETUAL', quantity: 0.5 }];
    const m = scenarioMargin(model, matrix, cols, positions);
    const pnl = Array.from({ length: cols }, (_, j) => 2 * (matrix[j] as number) - 4 * (matrix[cols + j] as number));
    const losses = pnl.map((v) => -v).sort((a, b) => b - a);
    const k = 2; // ceil(400 x 0.005) = 2 exactly
    const es = (losses[0]! + losses[1]!) / k;
    expect(m.fhsEs.tailCount).toBe(k);
    expect(m.fhsEs.esMporUsd).toBeCloseTo(Math.max(0, es) * Math.SQRT2, 6);
    expect(m.fhsEs.apc.marginUsd).toBeCloseTo(m.fhsEs.esMporUsd * 1.25, 6);
    const direct = fhsEsMargin({ pnl, model: fhs, exposures: [{ underlying: 'BTC', exposureUsd: 2 * 70000 - 4 * 14000 }] });
    expect(m.initialMarginUsd).toBeCloseTo(direct.marginUsd, 6);
    expect(m.maintenanceMarginUsd).toBe(0.75 * m.initialMarginUsd);
    expect(m.incidentAddOnUsd).toBe(0);
    expect(m.exposures).toEqual([{ underlying: 'BTC', exposureUsd: 84000 }]);
  });

  it('adds the incident add-on on the affected underlying sub-books only', () => {
    const model = compileScenarioMargin(definition(true));
    const m = scenarioMargin(model, matrix, cols, [{ instrument: 'BTC-PERPETUAL', quantity: 1 }, { instrument: 'ETH-PERPETUAL', quantity: -10 }]);
    expect(m.incidentAddOn).not.toBeNull();
    const a = m.incidentAddOn!;
    expect(a.rate).toBeGreaterThan(0);
    for (const [u, v] of Object.entries(a.byUnderlying)) expect(v).toBeGreaterThanOrEqual(0), expect(['BTC', 'ETH']).toContain(u);
    expect(m.initialMarginUsd).toBeCloseTo(m.fhsEs.marginUsd + a.addOnUsd, 9);
  });

  it('a scratch longer than the scenario count (shared across matrices) gives exactly the margin of an exact one', () => {
    const model = compileScenarioMargin(definition(true));
    const { rows, quantities } = positionRows(model, [{ instrument: 'BTC-27MAR26-90000-C', quantity: -3 }, { instrument: 'ETH-PERPETUAL', quantity: 5 }]);
    const exact = scenarioMarginOfRows(model, matrix, cols, rows, quantities);
    const long = new Float64Array(cols + 7).fill(-1e12); // stale values past `cols` must not enter the ES
    const shared = scenarioMarginOfRows(model, matrix, cols, rows, quantities, long);
    expect(shared.initialMarginUsd).toBe(exact.initialMarginUsd);
    expect(shared.fhsEs.scenarioCount).toBe(cols);
    expect(() => scenarioMarginOfRows(model, matrix, cols, rows, quantities, new Float64Array(cols - 1))).toThrow(/scratch/);
  });

  it('names the bad position and the bad definition field', () => {
    const model = compileScenarioMargin(definition(false));
    expect(() => scenarioMargin(model, matrix, cols, [{ instrument: 'SOL-PERPETUAL', quantity: 1 }])).toThrow(RiskInputError);
    expect(() => scenarioMargin(model, matrix, cols, [{ instrument: 'BTC-PERPETUAL', quantity: Number.NaN }])).toThrow(/positions\[0\]\.quantity/);
    expect(() => compileScenarioMargin({ ...(definition(false) as object), maintenanceFactor: 1.5 })).toThrow(ModelValidationError);
    expect(() => compileScenarioMargin({ ...(definition(false) as object), instruments: [...instruments, instruments[0]] })).toThrow(/instruments\[3\]\.id/);
  });
});
