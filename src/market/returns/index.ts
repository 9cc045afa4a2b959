/**
 * Returns (pure): log returns aligned across assets by date with explicit gaps, incident-window treatment
 * (exclude / keep-as-stress / downweight), and panel views. Conventions in `types.ts`.
 */
export type {
  GapPolicy, CalendarGapPolicy, WindowTreatmentKind, WindowTreatment, ReturnGap, ExcludedRow, StressPeriod,
  AssetCoverage, ReturnsPanel, AlignedReturns,
} from './types.ts';
export { alignLogReturns, type AlignReturnsOptions } from './alignReturns.ts';
export { applyWindows, validateWindows, intervalOverlaps, type WindowRows, type WindowResult } from './windows.ts';
export { returnRows, returnsMatrix, selectAssets, createReturnsPanel } from './panel.ts';
