/**
 * `aftershock recalibrate`: the whole recalibration on an incident (DESIGN.md §7), stored as a candidate run in the
 * store (`--db`), with the report written to `--out` and stored with the run. Defaults run the bundled real incident
 * (the 2026-02-05 drawdown: the 02-04 chains before, the 02-06 chains after, the 2017-2026 daily history, the 3000
 * fixture accounts). Progress: bars on a terminal, JSON log lines on stderr otherwise. Exit codes: 0 candidate,
 * 3 partial (per-object failures, each listed), 2 bad input (named file, row, field), 1 failed.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_INPUT_LIMITS, RecalibrationInputError, runRecalibrationJob, type InputLimits } from '../jobs/index.ts';
import { codeVersion } from './codeVersion.ts';
import { contextOf, wantsJson } from './context.ts';
import { withStore } from './db.ts';
import { CliInputError, type Io } from './io.ts';
import { createProgressRenderer, type ProgressStream } from './progress.ts';

const usd = (v: number): string => `${Math.round(v).toLocaleString('en-US')} USD`;

function lineStream(write: (line: string) => void): ProgressStream {
  let buffer = '';
  return {
    write(chunk: string) {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        write(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    },
    isTTY: false,
  };
}

interface Options {
  incident: string; market?: string; portfolios?: string; models?: string; out: string; before?: string; after?: string; seed?: string;
  maxTableMb?: string; maxPortfolioMb?: string; maxDocumentMb?: string;
}

/** `--max-*-mb` flags as InputLimits byte counts (MiB x 1048576); a bad value is a CliInputError naming the flag. */
function limitsOf(o: Options): Partial<InputLimits> {
  const bytes = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const mb = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(mb > 0) || !Number.isFinite(mb) || mb > 1048576) {
      throw new CliInputError(`${flag}: expected a size in MiB, a number > 0 and <= 1048576 (got "${value}")`, { flag });
    }
    return Math.floor(mb * 1048576);
  };
  const table = bytes('--max-table-mb', o.maxTableMb);
  const portfolio = bytes('--max-portfolio-mb', o.maxPortfolioMb);
  const document = bytes('--max-document-mb', o.maxDocumentMb);
  return {
    ...(table === undefined ? {} : { tableBytes: table }),
    ...(portfolio === undefined ? {} : { portfolioBytes: portfolio }),
    ...(document === undefined ? {} : { documentBytes: document }),
  };
}

export function registerRecalibrate(program: Command, io: Io): void {
  program.command('recalibrate')
    .description('refit surfaces and correlation, reprice every account under stress, margins before/after, backtests and the report; stored as a candidate run')
    .option('--incident <file>', 'incident JSON', 'fixtures/incidents/2026-02-05-drawdown.json')
    .option('--market <dir>', 'market data directory (Deribit snapshots, perpetual marks, daily prices)', 'fixtures/market')
    .option('--portfolios <file>', 'portfolio JSON', 'fixtures/portfolios/fixture-accounts.json')
    .option('--models <dir>', 'models directory', 'models')
    .option('--out <dir>', 'report directory', 'aftershock-reports')
    .option('--before <snapshot>', 'before-incident snapshot file name (default: the latest before the incident start)')
    .option('--after <snapshot>', 'after-incident snapshot file name (default: the earliest after the incident end)')
    .option('--seed <n>', 'seed of the stochastic parts (recorded)', '1')
    .option('--max-table-mb <MiB>', `largest CSV input (snapshots, perpetual marks, daily prices; streamed) (default ${DEFAULT_INPUT_LIMITS.tableBytes / 1048576})`)
    .option('--max-portfolio-mb <MiB>', `largest portfolio file (parsed whole) (default ${DEFAULT_INPUT_LIMITS.portfolioBytes / 1048576})`)
    .option('--max-document-mb <MiB>', `largest incident, methodology or model JSON (default ${DEFAULT_INPUT_LIMITS.documentBytes / 1048576})`)
    .action(async (o: Options, command: Command) => {
      const ctx = contextOf(command);
      const cwd = ctx.options.cwd ?? process.cwd();
      const json = wantsJson(command);
      // bars straight on a terminal's stderr; otherwise JSON log lines through the command's error sink
      const tty = !json && process.stderr.isTTY === true;
      const err: ProgressStream = tty ? process.stderr : lineStream((l) => io.err(l));
      const renderer = createProgressRenderer({ json, tty, out: lineStream((l) => io.out(l)), err });
      const root = cwd;
      const seed = /^-?\d+$/.test(o.seed ?? '1') ? Number(o.seed) : (o.seed ?? '1');
      const limits = limitsOf(o);
      const result = await withStore(command, async (store) => {
        try {
          return await runRecalibrationJob({
            store, codeVersion: codeVersion(), onProgress: renderer.listener, outDir: resolve(cwd, o.out),
            request: {
              root, incident: o.incident, seed, limits,
              ...(o.market === undefined ? {} : { market: o.market }),
              ...(o.portfolios === undefined ? {} : { portfolios: o.portfolios }),
              ...(o.models === undefined ? {} : { models: o.models }),
              ...(o.before === undefined ? {} : { beforeSnapshot: o.before }),
              ...(o.after === undefined ? {} : { afterSnapshot: o.after }),
            },
          });
        } catch (e) {
          if (e instanceof RecalibrationInputError) throw new CliInputError(e.message, { file: e.file });
          throw e;
        } finally {
          renderer.close();
        }
      });
      const s = result.output.summary;
      if (json) {
        io.out(JSON.stringify({
          runId: result.run.id, status: result.run.status, summary: s, gates: result.gates, shadow: result.shadow,
          report: result.report, failures: result.run.objectFailures,
        }));
      } else {
        io.out(`run ${result.run.id}: ${result.run.status}`);
        io.out(`  ${s['accounts']} accounts margined (${s['settledPositions']} expired positions settled), ${s['instruments']} instruments x ${s['scenarios']} scenarios`);
        io.out(`  initial margin ${usd(s['initialMarginBeforeUsd'] as number)} before -> ${usd(s['initialMarginAfterUsd'] as number)} after; maintenance ${usd(s['maintenanceMarginAfterUsd'] as number)}`);
        io.out(`  margin calls: ${s['marginCalls']} accounts, ${usd(s['marginCallUsd'] as number)}`);
        for (const g of result.gates) io.out(`  gate ${g.passed ? 'passed' : 'FAILED'} ${g.name}: ${g.detail}`);
        if (result.shadow !== null) io.out(`  shadow vs active ${result.shadow.activeRunId}: ${result.shadow.largeRiseCount} accounts up more than ${result.shadow.riseThreshold * 100} %`);
        for (const f of result.run.objectFailures.slice(0, 20)) io.err(`  failed: [${f.stage}] ${f.object}: ${f.reason}`);
        if (result.run.objectFailures.length > 20) io.err(`  ... and ${result.run.objectFailures.length - 20} more (aftershock runs show ${result.run.id})`);
        if (result.report !== null) io.out(`report: ${result.report.htmlPath}`);
        io.out(`promote with: aftershock promote ${result.run.id}${result.gates.every((g) => g.passed) && result.run.status === 'candidate' ? '' : ' --reason "..."'}`);
      }
      if (result.run.status === 'partial') process.exitCode = 3;
    });
}
