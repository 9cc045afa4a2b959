/** The snapshot's margin engine for what-if and stress tests, or a 503 problem (the reason is logged, not sent). */
import type { FastifyBaseLogger } from 'fastify';
import { requireCalibration } from '../calibration/accountView.ts';
import type { CalibrationSnapshot, MarginEngine, RunCalibration } from '../calibration/snapshot.ts';
import { ApiProblem } from '../problem.ts';

/** The engine of the active calibration, with its run data. */
export function requireEngine(snapshot: CalibrationSnapshot, log: FastifyBaseLogger): { engine: MarginEngine; calibration: RunCalibration } {
  const { calibration } = requireCalibration(snapshot);
  if (calibration.engine === null) {
    log.error({ runId: calibration.runId, reason: calibration.engineProblem }, 'the active calibration has no usable margin engine');
    throw new ApiProblem('unavailable', `margins of posted portfolios are unavailable for the active run ${calibration.runId}`);
  }
  return { engine: calibration.engine, calibration };
}
