/**
 * How a command's error ends the process: the exit code (1 failed, 2 bad input or usage) and what is said about it
 * (a message for stderr and, with --json, a JSON error document for stdout).
 */
import { CommanderError } from 'commander';
import { DatabaseConfigError } from '../config/index.ts';
import { ImpliedVolError, PricingInputError } from '../pricing/index.ts';
import {
  RunLifecycleError, StoreBusyError, StoreDataError, StoreFullError, StoreNotFoundError, StoreOpenError, StoreUnavailableError,
} from '../store/index.ts';
import { CliInputError } from './io.ts';

/** An error as the command line reports it. */
export interface ErrorReport {
  /** 1 failed (database unreachable or busy, unexpected error), 2 bad input or usage (and refusals), 0 for --help. */
  readonly exitCode: number;
  /** The message for stderr (without the `error: ` prefix), or null when commander already printed it. */
  readonly message: string | null;
  /** The --json error document: `{ error: { type, code?, message, ...details } }`, or null for --help. */
  readonly json: { readonly error: Readonly<Record<string, unknown>> } | null;
}

function doc(type: string, message: string, extra: Readonly<Record<string, unknown>> = {}): ErrorReport['json'] {
  return { error: { type, message, ...extra } };
}

/** The exit code, message and JSON document for `error` thrown by a command. */
export function reportError(error: unknown): ErrorReport {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return { exitCode: 0, message: null, json: null };
    return { exitCode: 2, message: null, json: doc('UsageError', error.message.replace(/^error: /, ''), { code: error.code }) };
  }
  if (error instanceof CliInputError) return { exitCode: 2, message: error.message, json: doc(error.name, error.message, error.details ?? {}) };
  if (error instanceof RunLifecycleError) {
    return { exitCode: 2, message: error.message, json: doc(error.name, error.message, { code: error.code, runId: error.runId }) };
  }
  if (error instanceof StoreNotFoundError) {
    return { exitCode: 2, message: error.message, json: doc(error.name, error.message, { code: 'not-found', entity: error.entity, id: error.id }) };
  }
  if (error instanceof StoreDataError || error instanceof DatabaseConfigError) {
    return { exitCode: 2, message: error.message, json: doc(error.name, error.message, { field: error.field }) };
  }
  if (error instanceof ImpliedVolError) return { exitCode: 2, message: error.message, json: doc(error.name, error.message, { code: error.code, field: error.field }) };
  if (error instanceof PricingInputError) return { exitCode: 2, message: error.message, json: doc(error.name, error.message, { field: error.field }) };
  if (error instanceof StoreUnavailableError) {
    return { exitCode: 1, message: error.message, json: doc(error.name, error.message, { target: error.target, attempts: error.attempts, outcomeUnknown: error.outcomeUnknown }) };
  }
  if (error instanceof StoreOpenError || error instanceof StoreBusyError || error instanceof StoreFullError) {
    return { exitCode: 1, message: error.message, json: doc(error.name, error.message, { target: error.target }) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: 1, message, json: doc(error instanceof Error ? error.name : 'Error', message) };
}
