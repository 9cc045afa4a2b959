/**
 * `aftershock promote <runId> [--reason <text>]` and `aftershock rollback [--reason <text>]`: the calibration
 * lifecycle through the store's single-transaction promoteRun / rollbackCalibration, as `cli:<user>@<host>`.
 * Promotion uses the gates the run recorded (summary.gates, see gates.ts): when one fails (or the run is partial),
 * promotion without --reason is refused with exit 2 listing the failing gates; with --reason the gates are
 * overridden and the reason and the failing gates are recorded in the audit log. Refusals (unknown run, not
 * promotable, nothing to roll back, a concurrent change) exit 2 and change nothing.
 */
import type { Command } from 'commander';
import { findRun, promoteRun, rollbackCalibration, RunLifecycleError, StoreNotFoundError } from '../store/index.ts';
import { cliActor } from './actor.ts';
import { contextOf, wantsJson } from './context.ts';
import { withStore } from './db.ts';
import { failingGatesOf, promotionGatesOf } from './gates.ts';
import { CliInputError } from './io.ts';

/** Registers `promote` and `rollback` on `program`. */
export function registerLifecycle(program: Command): void {
  program.command('promote')
    .description('make a finished run the active calibration (gates must pass, or give --reason to override)')
    .argument('<runId>', 'run id (a candidate or partial run)')
    .option('--reason <text>', 'why: required to override failing gates; recorded in the audit log')
    .action(async (runId: string, o: { reason?: string }, command: Command) => {
      const { io } = contextOf(command);
      const actor = cliActor();
      await withStore(command, async (store) => {
        const run = await findRun(store, runId);
        if (run === null) throw new StoreNotFoundError('run', runId);
        const gates = promotionGatesOf(run);
        const failing = failingGatesOf(run, gates);
        const reason = o.reason?.trim() ? o.reason.trim() : undefined;
        let result;
        try {
          result = await promoteRun(store, runId, { actor, gates, ...(reason === undefined ? {} : { reason }) });
        } catch (error) {
          if (error instanceof RunLifecycleError && error.code === 'gates-failed') {
            throw new CliInputError(
              [
                `run ${runId} is not promoted: ${failing.length} gate(s) fail`,
                ...failing.map((g) => `  ${g.name}${g.detail ? `: ${g.detail}` : ''}`),
                'promote it anyway with --reason <text> (recorded in the audit log)',
              ].join('\n'),
              { code: 'gates-failed', runId, failingGates: failing },
            );
          }
          throw error;
        }
        const overridden = failing.map((g) => g.name);
        if (wantsJson(command)) {
          io.out(JSON.stringify({
            promoted: runId, previousActiveRunId: result.previousActiveRunId, generation: result.generation, auditSeq: result.auditSeq,
            actor, reason: reason ?? null, gates, overriddenGates: overridden,
          }));
          return;
        }
        io.out(`promoted ${runId}: now the active calibration (previous: ${result.previousActiveRunId ?? 'none'})`);
        if (overridden.length > 0) io.out(`  gates overridden: ${overridden.join(', ')} (reason: ${reason ?? ''})`);
        io.out(`  audit #${result.auditSeq} by ${actor}`);
      });
    });

  program.command('rollback')
    .description('re-activate the calibration the active run superseded')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action(async (o: { reason?: string }, command: Command) => {
      const { io } = contextOf(command);
      const actor = cliActor();
      await withStore(command, async (store) => {
        const reason = o.reason?.trim() ? o.reason.trim() : undefined;
        const result = await rollbackCalibration(store, { actor, ...(reason === undefined ? {} : { reason }) });
        if (wantsJson(command)) {
          io.out(JSON.stringify({
            active: result.active.id, rolledBack: result.previousActiveRunId, generation: result.generation, auditSeq: result.auditSeq,
            actor, reason: reason ?? null,
          }));
          return;
        }
        io.out(`rolled back ${result.previousActiveRunId ?? '?'}: ${result.active.id} is the active calibration again`);
        io.out(`  audit #${result.auditSeq} by ${actor}${reason ? ` (reason: ${reason})` : ''}`);
      });
    });
}
