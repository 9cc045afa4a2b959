/**
 * The checker behind test/architecture: enforces DESIGN.md §2 (layering and purity) on a map of source files.
 *
 * Input: repository-relative POSIX paths ("src/math/sum.ts") mapped to their source text. Only paths under src/
 * are checked. Every module reference is collected from the TypeScript AST (so comments and strings never
 * count): static imports and `import type`, `export ... from`, `import x = require(...)`, dynamic `import()`,
 * `require()` and `import('...')` type queries.
 *
 * Rules:
 * - layers (`layer-upward`, `layer-sibling`, `layer-unknown`): a module under src/<dir>/ may import its own <dir>
 *   or a strictly lower layer of LAYERS; directories on the same line must not import each other; src/index.ts
 *   may import anything and nothing may import it; a file or import target in a directory missing from LAYERS
 *   (or a file at the src/ root other than index.ts) is reported so the table is extended deliberately.
 *   Type-only imports count: they are dependencies too.
 * - purity, for files under PURE_LAYERS (`pure-io-import`, `pure-global`): no import of an I/O builtin
 *   (IO_MODULES, with or without `node:`), no reference to `process`, `Date.now`, `Date()`, `new Date()` without
 *   arguments, `Math.random`, `performance.now`/`timeOrigin`, `crypto.getRandomValues`/`randomUUID`, or the
 *   `random*` exports of node:crypto. A name the file declares itself (a local `process`, say) is not the global.
 * - threads (`pure-io-import`): a pure module must not import a thread pool (THREAD_MODULES, piscina) except under
 *   THREAD_POOL_DIRS (src/risk/parallel/), which is otherwise held to the purity rules (worker_threads stays an I/O
 *   builtin there too).
 * - loaders (`load-import`): files in a `load/` directory of a pure layer may import `fs` (and `path`, which is
 *   never restricted) but are otherwise held to the purity rules; a pure module outside `load/` must not import a
 *   `load/` module, except the facades in LOAD_FACADES, which may re-export them.
 * - `shared-path`: no import resolving outside the repository or naming a `shared/` directory (../shared is the
 *   read-only reference area), and no string literal containing a `shared/` path segment.
 * - `vitest-import`: src/ must not import vitest.
 * - `unresolvable-import`: `import()`/`require()` with a computed argument cannot be checked and is reported.
 */
import { posix } from 'node:path';
import { CRYPTO_RANDOM, SHARED_SEGMENT, scanModule } from './moduleScan.ts';
import type { ModuleReference } from './moduleScan.ts';

/**
 * Layers from the bottom (index 0) up; directories on the same line are peers (DESIGN.md §2). Three refinements of the
 * design's table: market sits above pricing instead of beside it, because quote cleaning needs the implied vols of
 * bid, ask and mid (the surfaces issue puts that in src/market/) while pricing never needs market types; and cli sits
 * above api instead of beside it, because `aftershock serve` (src/cli/serve.ts) starts the HTTP server, while the API
 * reaches the CLI only through a child process (the run launcher), never by an import. Likewise report sits below
 * jobs: the recalibration pipeline builds and renders its report, and the report layer never needs a job.
 */
export const LAYERS: readonly (readonly string[])[] = Object.freeze([
  ['math'],
  ['pricing'],
  ['market'],
  ['surface', 'correlation'],
  ['scenarios'],
  ['risk'],
  ['backtest'],
  ['store', 'config'],
  ['report'],
  ['jobs'],
  ['api'],
  ['cli'],
]);

/** Directories whose modules must be pure functions of their arguments. */
export const PURE_LAYERS: readonly string[] = Object.freeze([
  'math',
  'pricing',
  'market',
  'surface',
  'correlation',
  'scenarios',
  'risk',
  'backtest',
]);

/** Facades allowed to import (re-export) their directory's load/ modules. */
export const LOAD_FACADES: readonly string[] = Object.freeze(['src/market/index.ts']);

/** Node builtins that do I/O (or read the environment or the clock), by root name without `node:`. */
export const IO_MODULES: ReadonlySet<string> = new Set([
  'fs',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'worker_threads',
  'cluster',
  'dgram',
  'dns',
  'tls',
  'os',
  'process',
  'readline',
  'inspector',
  'perf_hooks',
]);

/** I/O builtins a load/ file may use. */
const LOAD_ALLOWED_MODULES: ReadonlySet<string> = new Set(['fs']);

/** Packages that start threads: not allowed in pure layers, except in THREAD_POOL_DIRS. */
export const THREAD_MODULES: ReadonlySet<string> = new Set(['piscina']);

/**
 * The one narrow exception for threads: src/risk/parallel/ (the revaluation worker pool) may import piscina. Its files
 * are otherwise held to every purity rule (no fs, no worker_threads, no process, no clock): the pool hands tasks to
 * worker threads that run the same pure kernels as the single-thread path.
 */
export const THREAD_POOL_DIRS: readonly string[] = Object.freeze(['src/risk/parallel/']);

export type ArchitectureRule =
  | 'layer-upward'
  | 'layer-sibling'
  | 'layer-unknown'
  | 'pure-io-import'
  | 'pure-global'
  | 'load-import'
  | 'shared-path'
  | 'vitest-import'
  | 'unresolvable-import';

export interface ArchitectureViolation {
  /** Repository-relative path of the offending file. */
  readonly file: string;
  /** 1-based line of the offending reference. */
  readonly line: number;
  readonly rule: ArchitectureRule;
  /** The module specifier, or the offending expression for `pure-global`/`shared-path` strings. */
  readonly specifier: string;
  readonly message: string;
}
const rankOf = new Map<string, number>();
LAYERS.forEach((line, rank) => line.forEach((dir) => rankOf.set(dir, rank)));

interface FileLocation {
  /** Top-level directory under src/, or '' for a file at the src/ root. */
  readonly layer: string;
  readonly isRootIndex: boolean;
  readonly isLoad: boolean;
}

function locate(path: string): FileLocation {
  const parts = path.split('/');
  if (parts.length === 2) return { layer: '', isRootIndex: parts[1] === 'index.ts', isLoad: false };
  return { layer: parts[1] ?? '', isRootIndex: false, isLoad: parts.slice(2, -1).includes('load') };
}

function builtinRoot(spec: string): string | undefined {
  const name = spec.startsWith('node:') ? spec.slice(5) : spec;
  if (name.startsWith('.') || name.startsWith('/') || name.startsWith('@')) return undefined;
  return name.split('/')[0];
}

/** Where a relative specifier points: a repository-relative path, possibly starting with '..'. */
function resolveRelative(file: string, spec: string): string {
  return posix.normalize(posix.join(posix.dirname(file), spec));
}

/** Checks every src/ file in `sources` and returns the violations, sorted by file and line. */
export function checkArchitecture(
  sources: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
): ArchitectureViolation[] {
  const entries = sources instanceof Map ? [...sources.entries()] : Object.entries(sources);
  const violations: ArchitectureViolation[] = [];
  for (const [rawPath, source] of entries) {
    const file = rawPath.replace(/\\/g, '/');
    if (!file.startsWith('src/')) continue;
    const here = locate(file);
    const add = (line: number, rule: ArchitectureRule, specifier: string, message: string): void => {
      violations.push({ file, line, rule, specifier, message: `${file}:${line} [${rule}] ${message}` });
    };
    const pure = PURE_LAYERS.includes(here.layer);
    if (here.layer === '' && !here.isRootIndex) {
      add(1, 'layer-unknown', '', 'files at the src/ root other than index.ts belong to no layer (DESIGN.md §2)');
    } else if (here.layer !== '' && !rankOf.has(here.layer)) {
      add(1, 'layer-unknown', '', `src/${here.layer}/ is not a layer of DESIGN.md §2; add it to LAYERS deliberately`);
    }
    const { references, unresolvable, globals, sharedStrings } = scanModule(file, source);

    for (const u of unresolvable) {
      add(u.line, 'unresolvable-import', u.text, `module reference with a computed specifier cannot be checked: ${u.text}`);
    }
    if (pure) {
      for (const g of globals) {
        add(g.line, 'pure-global', g.text, `${g.text} in a pure module (src/${here.layer}): pass time, randomness and configuration in as arguments`);
      }
    }
    for (const s of sharedStrings) {
      add(s.line, 'shared-path', s.text, `string literal names a shared/ path ("${s.text}"): copy what is needed into fixtures/`);
    }

    for (const ref of references) {
      const spec = ref.specifier;
      if (spec === 'vitest' || spec.startsWith('vitest/') || spec.startsWith('@vitest/')) {
        add(ref.line, 'vitest-import', spec, `imports '${spec}': test code does not belong in src/`);
        continue;
      }
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec);
        if (target === '..' || target.startsWith('../') || SHARED_SEGMENT.test(target)) {
          add(ref.line, 'shared-path', spec, `imports '${spec}', outside the repository or in a shared/ directory`);
          continue;
        }
        if (target !== 'src' && !target.startsWith('src/')) continue; // e.g. ../../package.json
        checkLayerImport(file, here, pure, ref, target, add);
        continue;
      }
      if (SHARED_SEGMENT.test(spec)) {
        add(ref.line, 'shared-path', spec, `imports '${spec}' from a shared/ directory`);
        continue;
      }
      const root = builtinRoot(spec);
      if (pure && root !== undefined) {
        if (THREAD_MODULES.has(root)) {
          if (!THREAD_POOL_DIRS.some((dir) => file.startsWith(dir))) {
            add(ref.line, 'pure-io-import', spec, `imports thread pool '${spec}' in a pure module (src/${here.layer}); only ${THREAD_POOL_DIRS.join(', ')} may start threads`);
          }
        } else if (IO_MODULES.has(root) && !(here.isLoad && LOAD_ALLOWED_MODULES.has(root))) {
          const where = here.isLoad ? 'a load/ module (only fs and path allowed)' : `a pure module (src/${here.layer})`;
          add(ref.line, 'pure-io-import', spec, `imports I/O builtin '${spec}' in ${where}`);
        } else if (root === 'crypto' && ref.importedNames.some((n) => CRYPTO_RANDOM.has(n))) {
          add(ref.line, 'pure-global', spec, `imports randomness (${ref.importedNames.filter((n) => CRYPTO_RANDOM.has(n)).join(', ')}) from '${spec}' in a pure module`);
        }
      }
    }
  }
  return violations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

function checkLayerImport(
  file: string,
  here: FileLocation,
  pure: boolean,
  ref: ModuleReference,
  target: string,
  add: (line: number, rule: ArchitectureRule, specifier: string, message: string) => void,
): void {
  const spec = ref.specifier;
  const parts = target.split('/');
  // 'src' or 'src/index.ts' is the public facade; 'src/<name>.ts' a root file; 'src/<dir>[/...]' a layer
  let targetLayer = '';
  let targetIsRoot = parts.length === 1;
  if (parts.length === 2) {
    const name = parts[1] ?? '';
    if (/^index(\.[cm]?[jt]sx?)?$/.test(name)) targetIsRoot = true;
    else if (!/\.[cm]?[jt]sx?$/.test(name)) targetLayer = name;
  } else if (parts.length > 2) {
    targetLayer = parts[1] ?? '';
  }
  if (here.isRootIndex) return; // the public facade may import anything
  if (targetIsRoot) {
    add(ref.line, 'layer-upward', spec, `imports the public facade src/index.ts ('${spec}'), the top of the stack`);
    return;
  }
  if (targetLayer === '') {
    add(ref.line, 'layer-unknown', spec, `imports '${spec}', a src/ root file that belongs to no layer`);
    return;
  }
  if (here.layer === '' || !rankOf.has(here.layer)) return; // already reported as layer-unknown
  if (targetLayer !== here.layer) {
    const from = rankOf.get(here.layer) as number;
    const to = rankOf.get(targetLayer);
    if (to === undefined) {
      add(ref.line, 'layer-unknown', spec, `imports '${spec}' in src/${targetLayer}/, which is not a layer of DESIGN.md §2`);
      return;
    }
    if (to === from) {
      add(ref.line, 'layer-sibling', spec, `src/${here.layer} imports its peer src/${targetLayer} ('${spec}'); peers on one line of DESIGN.md §2 must not import each other`);
      return;
    }
    if (to > from) {
      add(ref.line, 'layer-upward', spec, `src/${here.layer} imports the higher layer src/${targetLayer} ('${spec}'); imports must point down DESIGN.md §2`);
      return;
    }
  }
  if (pure && !here.isLoad && parts.slice(2).includes('load') && !LOAD_FACADES.includes(file)) {
    add(ref.line, 'load-import', spec, `pure module imports the I/O loader '${spec}'; only ${LOAD_FACADES.join(', ')} may re-export load/ modules`);
  }
}

/** One violation per line, for test failure messages. */
export function formatViolations(violations: readonly ArchitectureViolation[]): string {
  return violations.map((v) => v.message).join('\n');
}
