/**
 * Fuzzed bad input through the JSON document validators (issue 10, part 1): the portfolio parser on the real fixture
 * accounts with fields replaced by arbitrary JSON, NaN-like strings and huge numbers, plus arbitrary and truncated
 * text; and every released scenario / incident-policy / recalibration model with a field replaced or deleted. Nothing
 * throws; a portfolio gives one located failure per bad account and keeps every other account; a model validator
 * either accepts (and then every number is finite) or lists issues with their paths, and a numeric field turned into
 * a non-number is reported at a path naming that field.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePortfolioJson, validatePortfolio } from '../../src/risk/index.ts';
import {
  validateDeribitGridModel, validateFilteredHistoricalModel, validateHistoricalModel, validateHypotheticalModel,
  validateIncidentPolicy, validateIncidentReplayModel, validateSpanModel,
} from '../../src/scenarios/index.ts';
import { validateRecalibrationModel } from '../../src/jobs/recalibrate/model.ts';

const root = (rel: string): string => fileURLToPath(new URL(`../../${rel}`, import.meta.url));
const json = (rel: string): unknown => JSON.parse(readFileSync(root(rel), 'utf8')) as unknown;
const SEED = 20261123;

/** Values a broken producer writes where a number or string belongs. */
const WEIRD: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>('NaN', 'Infinity', '-Infinity', '1e309', '', ' ', '12', null, true, [], {}, -1, 0, 1e308, -1e308,
    Number.MAX_VALUE, Number.MIN_VALUE, '\u00c3\u00a9', '\ufffd', 'x'.repeat(10_000)),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Every path (array of keys) into a JSON value, the root excluded. */
function pathsOf(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([...prefix, i]); pathsOf(x, [...prefix, i], out); });
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push([...prefix, k]); pathsOf(x, [...prefix, k], out); }
  return out;
}

function getAt(v: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v);
}

/** A deep copy of `v` with the value at `path` replaced (or deleted when `value` is `DELETE`). */
const DELETE = Symbol('delete');
function setAt(v: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(v);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = path[path.length - 1] as string | number;
  if (value === DELETE) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string | number, unknown>)[key];
  } else (parent as Record<string | number, unknown>)[key] = value;
  return copy;
}

function finiteNumbers(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (ArrayBuffer.isView(v)) return Array.from(v as Float64Array).every(Number.isFinite);
  if (v !== null && typeof v === 'object') return Object.values(v).every(finiteNumbers);
  return true;
}

describe('portfolio parser on fuzzed fixture accounts', () => {
  const fixture = json('fixtures/portfolios/fixture-accounts.json') as { accounts: unknown[] };
  const doc = { ...fixture, accounts: fixture.accounts.slice(0, 40) };
  const base = validatePortfolio(doc, { file: 'p.json' });

  it('the slice is all good accounts', () => {
    expect(base.failures).toEqual([]);
    expect(base.accounts).toHaveLength(40);
  });

  it('a replaced or deleted field fails only its own account, with its index and a field path', () => {
    const accountPaths = pathsOf(doc.accounts).filter((p) => p.length >= 2);
    fc.assert(fc.property(fc.constantFrom(...accountPaths), fc.oneof(WEIRD, fc.constant<unknown>(DELETE)), (path, value) => {
      const accounts = setAt(doc.accounts, path, value) as unknown[];
      const text = JSON.stringify({ ...doc, accounts });
      const res = parsePortfolioJson(text, { file: 'p.json' });
      expect(res.accounts.length + res.failures.length).toBe(accounts.length);
      expect(res.failures.length).toBeLessThanOrEqual(2); // the edited account, or a later one with a now-duplicate id
      for (const f of res.failures) {
        expect(f.file).toBe('p.json');
        expect(Number.isInteger(f.accountIndex) && f.accountIndex >= 0 && f.accountIndex < accounts.length).toBe(true);
        expect(typeof f.field).toBe('string');
        expect(f.detail.length).toBeGreaterThan(0);
      }
      for (const a of res.accounts) expect(finiteNumbers(a), JSON.stringify(a)).toBe(true);
      if (res.failures.length > 0 && res.failures[0]?.accountIndex === path[0]) {
        // the failure names the edited field or one of its parents (e.g. 'positions[2]' for positions[2].quantity)
        expect(res.failures[0]?.field === '' || String(path[1]).startsWith(res.failures[0]?.field.split(/[.[]/)[0] ?? '?')).toBe(true);
      }
    }), { seed: SEED, numRuns: 300 });
  });

  it('a numeric quantity turned into a non-number is rejected naming that quantity', () => {
    const qty = pathsOf(doc.accounts).filter((p) => p[p.length - 1] === 'quantity');
    const notNumber = fc.constantFrom<unknown>('NaN', 'Infinity', '1', null, true, [], {}, '');
    fc.assert(fc.property(fc.constantFrom(...qty), notNumber, (path, value) => {
      const res = validatePortfolio({ accounts: setAt(doc.accounts, path, value) }, { file: 'p.json' });
      const f = res.failures.find((x) => x.accountIndex === path[0]);
      expect(f?.field).toBe(`${String(path[1])}[${String(path[2])}].quantity`);
    }), { seed: SEED + 1, numRuns: 100 });
  });

  it('arbitrary JSON documents, arbitrary and truncated text: never a throw, a document-level failure at worst', () => {
    const text = JSON.stringify(doc);
    fc.assert(fc.property(fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.nat({ max: text.length - 1 }).map((n) => text.slice(0, n)),
      fc.constantFrom('[' .repeat(100_000), '{"accounts":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}', Buffer.from(text.slice(0, 2000), 'utf16le').toString('utf8')),
    ), (t) => {
      const res = parsePortfolioJson(t, { file: 'p.json' });
      for (const f of res.failures) {
        expect(f.file).toBe('p.json');
        expect(f.accountIndex).toBeGreaterThanOrEqual(-1);
      }
    }), { seed: SEED + 2, numRuns: 200 });
  });
});

type Validator = (json: unknown) => { ok: true; value: unknown } | { ok: false; errors: readonly { path: string; reason: string }[] };
const MODELS: { file: string; validate: Validator }[] = [
  { file: 'models/recalibration/1.0.0.json', validate: validateRecalibrationModel as Validator },
  { file: 'models/incident-policy/1.0.0.json', validate: validateIncidentPolicy as Validator },
  { file: 'models/scenarios/deribit-grid/1.0.0.json', validate: validateDeribitGridModel as Validator },
  { file: 'models/scenarios/span/1.0.0.json', validate: validateSpanModel as Validator },
  { file: 'models/scenarios/historical/1.0.0.json', validate: validateHistoricalModel as Validator },
  { file: 'models/scenarios/filtered-historical/1.0.0.json', validate: validateFilteredHistoricalModel as Validator },
  { file: 'models/scenarios/hypothetical/1.0.0.json', validate: validateHypotheticalModel as Validator },
  { file: 'models/scenarios/incident-replay/1.0.0.json', validate: validateIncidentReplayModel as Validator },
];

describe.each(MODELS)('model validator on fuzzed $file', ({ file, validate }) => {
  const model = json(file);
  const paths = pathsOf(model);

  it('the released model is valid', () => {
    expect(validate(model).ok).toBe(true);
  });

  it('a replaced or deleted field: no throw; accepted with finite numbers, or issues with paths', () => {
    fc.assert(fc.property(fc.constantFrom(...paths), fc.oneof(WEIRD, fc.constant<unknown>(DELETE)), (path, value) => {
      const res = validate(setAt(model, path, value));
      if (res.ok) expect(finiteNumbers(res.value)).toBe(true);
      else {
        expect(res.errors.length).toBeGreaterThan(0);
        for (const e of res.errors) {
          expect(typeof e.path).toBe('string');
          expect(e.reason.length).toBeGreaterThan(0);
        }
      }
    }), { seed: SEED + 3, numRuns: 200 });
  });

  it('a numeric field turned into a non-number is reported at a path naming it', () => {
    const numeric = paths.filter((p) => typeof getAt(model, p) === 'number' && typeof p[p.length - 1] === 'string');
    if (numeric.length === 0) {
      console.log(`${file}: no numeric object fields to corrupt`);
      return;
    }
    fc.assert(fc.property(fc.constantFrom(...numeric), fc.constantFrom<unknown>('NaN', 'Infinity', '1', null, true, [], {}), (path, value) => {
      const res = validate(setAt(model, path, value));
      expect(res.ok, `${path.join('.')} = ${JSON.stringify(value)} accepted`).toBe(false);
      if (!res.ok) {
        const key = String(path[path.length - 1]);
        expect(res.errors.some((e) => e.path.includes(key)), JSON.stringify(res.errors)).toBe(true);
      }
    }), { seed: SEED + 4, numRuns: 100 });
  });

  it('arbitrary JSON values are rejected or accepted, never thrown on', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
      const res = validate(v);
      if (!res.ok) expect(res.errors.length).toBeGreaterThan(0);
    }), { seed: SEED + 5, numRuns: 200 });
  });
});
