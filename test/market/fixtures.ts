/** Paths to the market fixtures (tests never read ../shared). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under fixtures/market/. */
export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../../fixtures/market/${relative}`, import.meta.url));
}

/** Text of a file under fixtures/market/. */
export function readFixture(relative: string): string {
  return readFileSync(fixturePath(relative), 'utf8');
}

/** The four Deribit snapshot stamps. */
export const SNAPSHOTS = ['20251230T173115Z', '20260204T213308Z', '20260205T212937Z', '20260206T093516Z'] as const;

/** Relative path of a Deribit snapshot. */
export function snapshotPath(stamp: string): string {
  return `deribit_2025_2026/deribit_options_snapshot_${stamp}.csv`;
}
