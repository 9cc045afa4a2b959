import { describe, expect, it } from 'vitest';
import { applyVolShift, expectValid, spanScenarios, validateSpanModel } from '../../src/scenarios/index.ts';
import { readJson } from './helpers.ts';

const model = expectValid(validateSpanModel(readJson('models/scenarios/span/1.0.0.json')), 'span');

describe('SPAN-style 16 scenarios (reference/methods.md §5.3)', () => {
  const set = spanScenarios(model, { underlyings: ['BTC'] });
  const psr = 0.1;
  const vsr = 0.1;

  it('the table of methods.md §5.3, in order', () => {
    // [price x PSR, vol x VSR, fraction of loss counted]
    const table: Array<[number, number, number]> = [
      [0, 1, 1], [0, -1, 1], [1 / 3, 1, 1], [1 / 3, -1, 1], [-1 / 3, 1, 1], [-1 / 3, -1, 1], [2 / 3, 1, 1], [2 / 3, -1, 1],
      [-2 / 3, 1, 1], [-2 / 3, -1, 1], [1, 1, 1], [1, -1, 1], [-1, 1, 1], [-1, -1, 1], [2, 0, 0.35], [-2, 0, 0.35],
    ];
    expect(set.scenarios).toHaveLength(16);
    set.scenarios.forEach((s, i) => {
      const [price, vol, cover] = table[i]!;
      expect(s.id).toBe(`span:${i + 1}`);
      expect(s.spotReturns[0]).toBeCloseTo(price * psr, 15);
      expect(applyVolShift(s.volShifts[0]!, 0.5, 0.25)).toBeCloseTo(0.5 + vol * vsr, 15);
      expect(s.weight).toBe(cover);
      expect(s.timeStepDays).toBe(1);
    });
    expect(set.scenarios.filter((s) => s.tags.includes('extreme')).map((s) => s.id)).toEqual(['span:15', 'span:16']);
  });

  it("McMillan's check: the extreme loss counted on a long future is 35 % x 2 x PSR", () => {
    // 3/3 range = 10 000 USD, extreme = 7 000 USD (reference/margin-methods.md §4.3) -> 0.7 x PSR
    const worstExtremeLoss = Math.max(...set.scenarios.filter((s) => s.tags.includes('extreme')).map((s) => -(s.spotReturns[0] as number) * (s.weight as number)));
    expect(worstExtremeLoss / psr).toBeCloseTo(0.7, 15);
  });

  it('per-underlying ranges from the model and the default for others; deterministic', () => {
    const multi = spanScenarios(model, { underlyings: ['BTC', 'ETH', 'SOL'] });
    expect(Array.from(multi.scenarios[10]!.spotReturns)).toEqual([0.1, 0.12, 0.1]);
    expect(spanScenarios(model, { underlyings: ['BTC'] })).toEqual(set);
  });
});
