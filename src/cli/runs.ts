/**
 * `aftershock runs list [--status s[,s...]] [--limit n]` and `aftershock runs show <runId>`: the stored runs with
 * their status, stage, progress and summary figures, and one run in full (provenance: input hashes, model
 * versions, code version, seed, baseline and previous run; gates; per-object failures; its audit entries).
 * `--json` prints one document. An unknown run id or status is bad input (exit 2); showing a partial run is 0.
 */
import { InvalidArgumentError, type Command } from 'commander';
import {
  getActivePointer, getRunReport, listAudit, listRuns, RUN_STATUSES, StoreNotFoundError, findRun,
  type RunRecord, type RunStatus,
} from '../store/index.ts';
import { contextOf, wantsJson } from './context.ts';
import { withStore } from './db.ts';
import { formatProgress, formatSummaryFigures, formatTable, formatTime } from './format.ts';
import { failingGatesOf, promotionGatesOf } from './gates.ts';

/** Parses `--status`: one status or a comma-separated list, each one of RUN_STATUSES. */
export function parseStatuses(value: string): RunStatus[] {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new InvalidArgumentError(`status must be one of ${RUN_STATUSES.join(', ')}, got "${value}"`);
  for (const p of parts) {
    if (!(RUN_STATUSES as readonly string[]).includes(p)) {
      throw new InvalidArgumentError(`status must be one of ${RUN_STATUSES.join(', ')}, got "${p}"`);
    }
  }
  return parts as RunStatus[];
}

/** Parses `--limit`: an integer in [1, 10000]. */
export function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 10_000) {
    throw new InvalidArgumentError(`limit must be an integer from 1 to 10000, got "${value}"`);
  }
  return n;
}

function listLines(runs: readonly RunRecord[]): string[] {
  return formatTable(
    ['ID', 'STATUS', 'STAGE', 'PROGRESS', 'CREATED', 'INCIDENT', 'FIGURES'],
    runs.map((r) => [
      r.id, r.status, r.stage ?? '-', formatProgress(r.progress), formatTime(r.createdAt), r.incidentId ?? '-', formatSummaryFigures(r.summary),
    ]),
  );
}

function mapLines(title: string, map: Readonly<Record<string, string>>): string[] {
  const keys = Object.keys(map).sort();
  if (keys.length === 0) return [`${title}: none`];
  const width = Math.max(...keys.map((k) => k.length));
  return [`${title}:`, ...keys.map((k) => `  ${k.padEnd(width)}  ${map[k]}`)];
}

/** Registers `runs list` and `runs show` on `program`. */
export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('stored recalibration runs');

  runs.command('list')
    .description('runs, newest first, with status, stage, progress and summary figures')
    .option('--status <status>', `only these statuses (comma-separated: ${RUN_STATUSES.join(', ')})`, parseStatuses)
    .option('--limit <n>', 'at most n runs (1-10000)', parseLimit, 50)
    .action(async (o: { status?: RunStatus[]; limit: number }, command: Command) => {
      const { io } = contextOf(command);
      await withStore(command, async (store, target) => {
        const list = await listRuns(store, { ...(o.status === undefined ? {} : { status: o.status }), limit: o.limit });
        const active = await getActivePointer(store);
        if (wantsJson(command)) {
          io.out(JSON.stringify({ database: { kind: target.kind, source: target.source }, activeRunId: active.runId, runs: list }));
          return;
        }
        if (list.length > 0) for (const line of listLines(list)) io.out(line);
        io.out(`${list.length} run(s)${o.status ? ` with status ${o.status.join(', ')}` : ''}; active: ${active.runId ?? 'none'}; database ${store.target} (${target.kind}, ${target.source})`);
      });
    });

  runs.command('show')
    .description('one run in full: provenance, gates, per-object failures, audit entries')
    .argument('<runId>', 'run id')
    .action(async (runId: string, _o: unknown, command: Command) => {
      const { io } = contextOf(command);
      await withStore(command, async (store) => {
        const run = await findRun(store, runId);
        if (run === null) throw new StoreNotFoundError('run', runId);
        const gates = promotionGatesOf(run);
        const failing = failingGatesOf(run, gates);
        const report = await getRunReport(store, runId);
        const audit = await listAudit(store, { target: runId });
        const active = (await getActivePointer(store)).runId === runId;
        if (wantsJson(command)) {
          io.out(JSON.stringify({
            run, active, gates, failingGates: failing.map((g) => g.name),
            report: report === null ? null : { sha256: report.sha256, htmlBytes: Buffer.byteLength(report.html), jsonBytes: Buffer.byteLength(report.json) },
            audit,
          }));
          return;
        }
        for (const line of showLines(run, { active, gates, failing: failing.map((g) => g.name), report: report?.sha256 ?? null, audit })) io.out(line);
      });
    });
}

function showLines(
  run: RunRecord,
  extra: {
    active: boolean;
    gates: readonly { name: string; passed: boolean; detail?: string }[];
    failing: readonly string[];
    report: string | null;
    audit: readonly { seq: number; at: number; actor: string; action: string; reason: string | null }[];
  },
): string[] {
  const lines = [
    `run ${run.id} (${run.kind})${extra.active ? ' [active calibration]' : ''}`,
    `  status     ${run.status}${run.error ? `: ${run.error}` : ''}`,
    `  stage      ${run.stage ?? '-'} (${formatProgress(run.progress)})`,
    `  incident   ${run.incidentId ?? '-'}`,
    `  created    ${formatTime(run.createdAt)}   started ${formatTime(run.startedAt)}   finished ${formatTime(run.finishedAt)}`,
    `  heartbeat  ${formatTime(run.heartbeatAt)}   owner ${run.owner ?? '-'}`,
    `  promoted   ${formatTime(run.promotedAt)}   superseded ${formatTime(run.supersededAt)}`,
    `  baseline   ${run.baselineRunId ?? 'none'} (active when the run was created)`,
    `  previous   ${run.previousActiveRunId ?? 'none'} (superseded by its promotion; rollback re-activates it)`,
    `  code       ${run.codeVersion}`,
    `  seed       ${JSON.stringify(run.seed)}`,
    ...mapLines('input hashes', run.inputHashes),
    ...mapLines('model versions', run.modelVersions),
    `options: ${run.options === null || run.options === undefined ? 'none' : JSON.stringify(run.options)}`,
    'gates:',
    ...extra.gates.map((g) => `  ${g.passed ? 'pass' : 'FAIL'}  ${g.name}${g.detail ? `: ${g.detail}` : ''}`),
    extra.failing.length === 0 ? '  promotable without a reason' : `  promotion needs --reason (failing: ${extra.failing.join(', ')})`,
    `per-object failures: ${run.objectFailures.length}`,
    ...run.objectFailures.map((f) => `  ${f.stage}  ${f.object}: ${f.reason}${f.detail === undefined ? '' : ` ${JSON.stringify(f.detail)}`}`),
    `summary: ${run.summary === null || run.summary === undefined ? 'none' : JSON.stringify(run.summary)}`,
    `report: ${extra.report === null ? 'none stored' : `stored (json sha256 ${extra.report})`}`,
    `audit: ${extra.audit.length === 0 ? 'none' : ''}`.trimEnd(),
    ...extra.audit.map((a) => `  #${a.seq} ${formatTime(a.at)} ${a.action} by ${a.actor}${a.reason ? ` (reason: ${a.reason})` : ''}`),
  ];
  return lines;
}
