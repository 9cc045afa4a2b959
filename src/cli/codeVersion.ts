/**
 * The code version recorded in every run's provenance: `aftershock@<package version>+<git commit, 12 hex>`, with
 * `+unknown` outside a git checkout (git missing or not a repository).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** See the module comment. */
export function codeVersion(): string {
  let version = '0.0.0';
  try {
    version = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version?: string }).version ?? version;
  } catch {
    // keep the default
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().slice(0, 12) || commit;
  } catch {
    // not a git checkout
  }
  return `aftershock@${version}+${commit}`;
}
