/** Storage form of a run's surfaces: per underlying, the after fit's slices (raw SVI params) and its diagnostics. */
import { putSurfaces, type Store } from '../../store/index.ts';
import type { PipelineOutput } from './pipeline.ts';

/** Stores the post-incident surfaces of `out` (one row per underlying). */
export async function storeSurfaces(store: Store, runId: string, out: PipelineOutput): Promise<void> {
  await putSurfaces(store, runId, Object.entries(out.after.fits).filter(([, f]) => f.surface !== null).map(([underlying, f]) => ({
    underlying,
    model: 'svi',
    parameters: {
      asOfMs: f.asOfMs, status: f.status,
      surface: f.surface?.toJSON(),
      slices: f.slices.map((s) => ({ expiryTimestampMs: s.expiryTimestampMs, expiry: s.expiry, forward: s.forward, status: s.status, params: s.params, atmVol: s.atmVol, kRange: s.kRange, fit: s.fit })),
      statistics: f.statistics,
      arbitrage: { butterfly: f.arbitrage.butterfly.arbitrage, calendar: f.arbitrage.calendar.arbitrage, scan: f.arbitrage.scan?.arbitrage ?? null },
    },
  })));
}
