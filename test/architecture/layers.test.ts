import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkArchitecture, formatViolations } from '../support/architecture.ts';
import type { ArchitectureRule, ArchitectureViolation } from '../support/architecture.ts';

const check = (files: Record<string, string>): ArchitectureViolation[] => checkArchitecture(files);
const rules = (files: Record<string, string>): ArchitectureRule[] => check(files).map((v) => v.rule);

describe('architecture checker (synthetic cases: each rule must fire, and only where it should)', () => {
  it('layer order: downward and same-directory imports pass, upward imports fail', () => {
    expect(
      check({
        'src/pricing/black.ts': "import { normCdf } from '../math/index.ts';\nimport { x } from './greeks.ts';",
        'src/risk/margin.ts': "import { a } from '../scenarios/grid.ts';\nimport { b } from '../pricing/index.ts';\nimport { c } from '../math/sum.ts';",
        'src/market/load/csv.ts': "import { parse } from '../parse.ts';",
        'src/cli/main.ts': "import { run } from '../jobs/run.ts';\nimport { s } from '../store/sqlite.ts';",
        'src/index.ts': "export * from './cli/main.ts';\nexport * from './math/index.ts';",
      }),
    ).toEqual([]);
    const v = check({ 'src/pricing/black.ts': "// prices\nimport { margin } from '../risk/margin.ts';" });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ file: 'src/pricing/black.ts', line: 2, rule: 'layer-upward', specifier: '../risk/margin.ts' });
    expect(v[0]?.message).toContain('src/pricing/black.ts:2 [layer-upward]');
    expect(rules({ 'src/math/a.ts': "import { p } from '../pricing/index.ts';" })).toEqual(['layer-upward']);
    expect(rules({ 'src/backtest/a.ts': "import { c } from '../config/load.ts';" })).toEqual(['layer-upward']);
    expect(rules({ 'src/math/a.ts': "import { run } from '../index.ts';" })).toEqual(['layer-upward']);
    expect(rules({ 'src/math/a.ts': "import { run } from '..';" })).toEqual(['layer-upward']);
  });

  it('peers on one line must not import each other', () => {
    expect(rules({ 'src/surface/svi.ts': "import { ewma } from '../correlation/ewma.ts';" })).toEqual(['layer-sibling']);
    expect(rules({ 'src/correlation/x.ts': "import { s } from '../surface/svi.ts';" })).toEqual(['layer-sibling']);
    // market sits above pricing (a refinement of DESIGN.md §2): pricing must not import market, market may import pricing
    expect(rules({ 'src/pricing/x.ts': "import { q } from '../market/quotes.ts';" })).toEqual(['layer-upward']);
    expect(rules({ 'src/market/x.ts': "import { iv } from '../pricing/index.ts';" })).toEqual([]);
    // cli sits above api (serve starts the server) and jobs above report (the pipeline renders its report)
    expect(rules({ 'src/cli/x.ts': "import { app } from '../api/app.ts';" })).toEqual([]);
    expect(rules({ 'src/api/x.ts': "import { run } from '../cli/main.ts';" })).toEqual(['layer-upward']);
    expect(rules({ 'src/jobs/x.ts': "import { r } from '../report/html.ts';" })).toEqual([]);
    expect(rules({ 'src/report/x.ts': "import { j } from '../jobs/index.ts';" })).toEqual(['layer-upward']);
    expect(rules({ 'src/store/x.ts': "import { c } from '../config/env.ts';" })).toEqual(['layer-sibling']);
  });

  it('every kind of module reference counts: type-only, re-export, dynamic, require, import type, import =', () => {
    const cases = [
      "import type { Margin } from '../risk/types.ts';",
      "export * from '../risk/index.ts';",
      "export { margin } from '../risk/index.ts';",
      "const m = await import('../risk/margin.ts');",
      "const m = require('../risk/margin.ts');",
      "let m: import('../risk/types.ts').Margin;",
      "import m = require('../risk/margin.ts');",
      'const m = await import(`../risk/margin.ts`);',
    ];
    for (const source of cases) expect(rules({ 'src/pricing/x.ts': source }), source).toEqual(['layer-upward']);
    expect(rules({ 'src/pricing/x.ts': "const name = '../risk/margin.ts';\nconst m = await import(name);" })).toEqual([
      'unresolvable-import',
    ]);
  });

  it('unknown directories and stray root files are reported', () => {
    expect(rules({ 'src/util/x.ts': 'export const a = 1;' })).toEqual(['layer-unknown']);
    expect(rules({ 'src/version.ts': 'export const v = 1;' })).toEqual(['layer-unknown']);
    expect(rules({ 'src/math/x.ts': "import { u } from '../util/x.ts';" })).toEqual(['layer-unknown']);
  });

  it('purity: I/O builtins are rejected in pure layers, with or without node:, and allowed above them', () => {
    for (const spec of ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'http', 'https', 'child_process', 'worker_threads', 'dgram', 'dns', 'tls', 'os', 'process', 'node:process']) {
      expect(rules({ 'src/math/x.ts': `import * as m from '${spec}';` }), spec).toEqual(['pure-io-import']);
    }
    expect(rules({ 'src/backtest/x.ts': "import { readFileSync } from 'node:fs';" })).toEqual(['pure-io-import']);
    expect(rules({ 'src/math/x.ts': "import { join } from 'node:path';\nimport { Matrix } from 'ml-matrix';\nimport { createHash } from 'node:crypto';" })).toEqual([]);
    expect(rules({ 'src/jobs/x.ts': "import { readFileSync } from 'node:fs';\nconst t = Date.now();\nconst e = process.env.X;" })).toEqual([]);
    expect(rules({ 'src/config/env.ts': 'export const url = process.env.DATABASE_URL;' })).toEqual([]);
  });

  it('purity: process, the clock and Math.random are rejected in pure layers', () => {
    const bad = [
      'const url = process.env.DATABASE_URL;',
      "const url = process['env'];",
      'const { env } = process;',
      'const t = process.hrtime.bigint();',
      'const url = globalThis.process.env.X;',
      'const t = Date.now();',
      'const clock = Date.now;',
      'const d = new Date();',
      'const d = new Date;',
      'const s = Date();',
      'const u = Math.random();',
      "const u = Math['random']();",
      'const u = globalThis.Math.random();',
      'const t = performance.now();',
      'const id = crypto.randomUUID();',
      'const x = `${Math.random()}`;',
    ];
    for (const source of bad) {
      const v = check({ 'src/math/x.ts': source });
      expect(v.map((x) => x.rule), source).toEqual(['pure-global']);
    }
    expect(rules({ 'src/math/x.ts': "import { randomBytes } from 'node:crypto';" })).toEqual(['pure-global']);
    expect(check({ 'src/risk/x.ts': 'export const seed = () => Math.random();' })[0]).toMatchObject({ rule: 'pure-global', specifier: 'Math.random', line: 1 });
  });

  it('purity: comments, strings, explicit dates, member names and local bindings are not flagged', () => {
    const fine = [
      '// never use Math.random() or Date.now() here; process.env is for src/config\nexport const a = 1;',
      '/* new Date() */ export const b = 2;',
      "export const msg = 'Math.random() and process.env are not used';",
      'export const t = `Date.now()`;',
      'export const d = new Date(0);',
      "export const d = new Date('2026-02-05T08:00:00Z');",
      'export const t = Date.UTC(2026, 1, 5);',
      'export const ms = (d: Date) => d.getTime();',
      'export class Stage { process(x: number): number { return x; } }',
      'export const o = { process: 1, random: 2 };',
      'export function process(rows: number[]): number { return rows.length; }\nexport const n = process([1]);',
      'export const r = (rng: { random(): number }) => rng.random();',
      'export const now = (clock: { now(): number }) => clock.now();',
      'export type P = typeof process;',
      'export const env = (cfg: { process: { env: string } }) => cfg.process.env;',
    ];
    for (const source of fine) expect(rules({ 'src/math/x.ts': source }), source).toEqual([]);
  });

  it('loaders: load/ files may use fs and path but nothing else of the kind, and pure modules must not import them', () => {
    expect(rules({ 'src/market/load/csv.ts': "import { readFile } from 'node:fs/promises';\nimport { join } from 'node:path';" })).toEqual([]);
    expect(rules({ 'src/market/load/csv.ts': "import { get } from 'node:https';" })).toEqual(['pure-io-import']);
    expect(rules({ 'src/market/load/csv.ts': 'const dir = process.env.DATA_DIR;' })).toEqual(['pure-global']);
    expect(rules({ 'src/market/clean.ts': "import { loadCsv } from './load/csv.ts';" })).toEqual(['load-import']);
    expect(rules({ 'src/surface/fit.ts': "import { loadCsv } from '../market/load/csv.ts';" })).toEqual(['load-import']);
    expect(rules({ 'src/risk/x.ts': "import { loadCsv } from '../market/load/index.ts';" })).toEqual(['load-import']);
    // the facade may re-export them, and layers above the pure core may use them
    expect(rules({ 'src/market/index.ts': "export * from './load/csv.ts';\nexport * from './parse.ts';" })).toEqual([]);
    expect(rules({ 'src/jobs/recalibrate.ts': "import { loadCsv } from '../market/load/csv.ts';" })).toEqual([]);
    expect(rules({ 'src/market/load/all.ts': "export * from './csv.ts';\nimport { parse } from '../parse.ts';" })).toEqual([]);
  });

  it('threads: piscina only in src/risk/parallel/, which keeps every other purity rule (a narrow exception)', () => {
    expect(rules({ 'src/risk/parallel/pool.ts': "import { Piscina } from 'piscina';" })).toEqual([]);
    expect(rules({ 'src/risk/parallel/sub/x.ts': "import { Piscina } from 'piscina';" })).toEqual([]);
    // the exception is for that folder only: elsewhere in risk, in other pure layers, and in look-alike folders it fails
    for (const file of ['src/risk/x.ts', 'src/risk/revaluation/x.ts', 'src/risk/parallelism/x.ts', 'src/risk/parallel.ts', 'src/scenarios/parallel/x.ts', 'src/math/x.ts']) {
      expect(rules({ [file]: "import { Piscina } from 'piscina';" }), file).toEqual(['pure-io-import']);
    }
    // and nothing else is relaxed there
    for (const source of ["import { Worker } from 'node:worker_threads';", "import { readFileSync } from 'node:fs';", "import os from 'node:os';", 'const n = process.env.THREADS;', 'const t = Date.now();']) {
      expect(rules({ 'src/risk/parallel/pool.ts': source }), source).toHaveLength(1);
    }
    // layers above the pure core may use it
    expect(rules({ 'src/jobs/x.ts': "import { Piscina } from 'piscina';" })).toEqual([]);
  });

  it('../shared is off limits, in imports and in string literals, in every layer', () => {
    expect(rules({ 'src/math/x.ts': "import data from '../../../shared/reference/vectors/vectors.json' with { type: 'json' };" })).toEqual([
      'shared-path',
    ]);
    expect(rules({ 'src/cli/x.ts': "import data from '../../../shared/data/x.json';" })).toEqual(['shared-path']);
    expect(rules({ 'src/jobs/x.ts': "const dir = '../shared/data/prices';" })).toEqual(['shared-path']);
    expect(rules({ 'src/jobs/x.ts': 'const dir = `${root}/shared/data/prices`;' })).toEqual(['shared-path']);
    expect(rules({ 'src/jobs/x.ts': "const p = '/work/shared/DESIGN.md';" })).toEqual(['shared-path']);
    expect(rules({ 'src/jobs/x.ts': "// data comes from ../shared/data originally\nconst unshared = 'unshared/x';" })).toEqual([]);
    expect(rules({ 'src/cli/version.ts': "import pkg from '../../package.json' with { type: 'json' };" })).toEqual([]);
  });

  it('src/ must not import vitest', () => {
    expect(rules({ 'src/math/x.ts': "import { expect } from 'vitest';" })).toEqual(['vitest-import']);
    expect(rules({ 'src/api/x.ts': "import { defineConfig } from 'vitest/config';" })).toEqual(['vitest-import']);
    expect(rules({ 'test/math/x.test.ts': "import { expect } from 'vitest';\nimport fs from 'node:fs';" })).toEqual([]); // tests are not checked
  });

  it('reports every violation of a file, in line order', () => {
    const v = check({
      'src/pricing/bad.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { margin } from '../risk/margin.ts';",
        "import { quotes } from '../market/quotes.ts';",
        'export const noise = Math.random();',
        "export const env = process.env['X'];",
      ].join('\n'),
    });
    expect(v.map((x) => [x.line, x.rule, x.specifier])).toEqual([
      [1, 'pure-io-import', 'node:fs'],
      [2, 'layer-upward', '../risk/margin.ts'],
      [3, 'layer-upward', '../market/quotes.ts'],
      [4, 'pure-global', 'Math.random'],
      [5, 'pure-global', 'process.env'],
    ]);
  });
});

describe('architecture of the real src/ tree (DESIGN.md §2)', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const srcDir = join(root, 'src');
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(c|m)?tsx?$/.test(entry.name)) files[relative(root, full).split(sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(srcDir);

  it('has no layering, purity, shared-path or vitest violations', () => {
    expect(Object.keys(files)).toContain('src/math/sum.ts');
    expect(Object.keys(files)).toContain('src/math/rng.ts');
    const violations = checkArchitecture(files);
    if (violations.length > 0) console.error(`${violations.length} architecture violation(s):\n${formatViolations(violations)}`);
    expect(formatViolations(violations)).toBe('');
    console.info(`architecture: ${Object.keys(files).length} files under src/ checked, 0 violations`);
  });
});
