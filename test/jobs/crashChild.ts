/**
 * Child process of the crash test: runs a recalibration on the store argv[2] with the portfolio argv[4] and dies by
 * SIGKILL when the job reaches the stage boundary argv[3] (after printing "reached <stage> <runId>").
 */
import { runRecalibrationJob } from '../../src/jobs/index.ts';
import { openStore } from '../../src/store/index.ts';
import { INCIDENT, ROOT } from './helpers.ts';

const [target, stage, portfolios] = process.argv.slice(2) as [string, string, string];
const store = await openStore(target);
let runId = '?';
await runRecalibrationJob({
  store, codeVersion: 'aftershock@crash-test', request: { root: ROOT, incident: INCIDENT, portfolios, seed: 7 },
  onProgress: (e) => {
    const m = e.type === 'message' ? /^run (\S+) created/.exec(e.text) : null;
    if (m) runId = m[1] as string;
  },
  beforeStage: (s) => (s !== stage ? undefined : new Promise<void>(() => {
    process.stdout.write(`reached ${s} ${runId}\n`, () => process.kill(process.pid, 'SIGKILL'));
  })),
});
process.stdout.write('finished without reaching the stage\n');
