/** Set-up shared by the stress-batch tests: an active calibration made by the real recalibration job on a few accounts. */
import { runRecalibrationJob } from '../../../src/jobs/index.ts';
import { promoteRun, type Store } from '../../../src/store/index.ts';
import { INCIDENT, ROOT, smallPortfolio } from '../helpers.ts';

export { ROOT, smallPortfolio };

/** Runs the recalibration on the first `accounts` fixture accounts and promotes it; resolves to the run id. */
export async function activeCalibration(store: Store, accounts = 200): Promise<string> {
  const result = await runRecalibrationJob({ store, codeVersion: 'aftershock@batch-test', request: { root: ROOT, incident: INCIDENT, portfolios: smallPortfolio(accounts) } });
  await promoteRun(store, result.run.id, { actor: 'test', gates: result.gates });
  return result.run.id;
}
