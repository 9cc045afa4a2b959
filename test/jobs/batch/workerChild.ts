/**
 * A worker process for the crash test: `node --import tsx workerChild.ts <storeUrl> <bossSchema> <workerId>` runs
 * startBatchWorker like `aftershock worker`, but stalls forever inside its first shard (after computing it, before the
 * completing transaction), printing `STALL <batchId> <shardIndex>` so the test can SIGKILL it mid-shard.
 */
import { startBatchWorker, startBoss } from '../../../src/jobs/batch/index.ts';
import { openStore } from '../../../src/store/index.ts';

const [url, schema, workerId] = process.argv.slice(2) as [string, string, string];
const settings = { url, schema, expireInSeconds: 3, retryDelaySeconds: 1, maintenanceIntervalSeconds: 1 };
const store = await openStore(url);
const boss = await startBoss(settings);
await startBatchWorker({
  store, boss, settings, workerId, pollingIntervalSeconds: 0.5, scheduleSyncSeconds: 0,
  hooks: {
    beforeComplete: async (batchId, shardIndex) => {
      process.stdout.write(`STALL ${batchId} ${shardIndex}\n`);
      await new Promise(() => undefined);
    },
  },
});
process.stdout.write('READY\n');
