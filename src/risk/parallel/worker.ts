/**
 * Worker-thread entry of the revaluation pool (piscina loads this file in each thread and calls its default export
 * with one task at a time). Pure apart from being a worker: no I/O, no clock; it only runs the shared kernels.
 */
import { runRevaluationTask, type RevaluationTask } from './tasks.ts';

/** Runs one revaluation task (see tasks.ts). */
export default function revaluationWorker(task: RevaluationTask): number {
  return runRevaluationTask(task);
}
