/**
 * `aftershock report <runId> [--out <dir|file>] [--format html|json] [--open]`: writes the report stored with the
 * run (the self-contained HTML or the canonical JSON, byte for byte as stored) to `<out>/<runId>.html|.json`
 * atomically and prints the absolute path; `--out` naming an existing file that is not a directory writes that
 * file instead (replaced atomically; a device such as /dev/stdout is written in place). `--open` launches the
 * system viewer detached and, if there is none, says it could not open the file (still exit 0). An unknown run or
 * a run without a stored report is exit 2; a write that fails (full disk, no permission, a path through a file)
 * is exit 1 naming the path and the reason, and leaves no partial file at the target (writeFileAtomic).
 */
import { Option, type Command } from 'commander';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findRun, getRunReport, StoreNotFoundError } from '../store/index.ts';
import { contextOf, wantsJson } from './context.ts';
import { withStore } from './db.ts';
import { CliInputError } from './io.ts';
import { openWithSystemViewer, type OpenFileResult } from './openFile.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';

/** The report file name of `runId`: characters other than letters, digits, `.`, `_` and `-` become `_`. */
export function reportFileName(runId: string, format: 'html' | 'json'): string {
  const base = runId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return `${base}.${format}`;
}

/** Registers `report` on `program`. */
export function registerReport(program: Command): void {
  program.command('report')
    .description("write a run's stored report to <out>/<runId>.html (or .json) and print the path")
    .argument('<runId>', 'run id')
    .option('--out <dir>', 'directory to write into (created if missing), or an existing file or device to write', '.')
    .addOption(new Option('--format <format>', 'html or json').choices(['html', 'json']).default('html'))
    .option('--open', 'open the written file in the system viewer')
    .action(async (runId: string, o: { out: string; format: 'html' | 'json'; open?: boolean }, command: Command) => {
      const { io, options } = contextOf(command);
      const written = await withStore(command, async (store) => {
        const run = await findRun(store, runId);
        if (run === null) throw new StoreNotFoundError('run', runId);
        const report = await getRunReport(store, runId);
        if (report === null) throw new CliInputError(`run ${runId} has no stored report (status ${run.status})`, { code: 'no-report', runId });
        const out = resolve(options.cwd ?? process.cwd(), o.out);
        const existing = await stat(out).catch(() => null);
        const path = existing !== null && !existing.isDirectory() ? out : join(out, reportFileName(runId, o.format));
        const text = o.format === 'html' ? report.html : report.json;
        await writeFileAtomic(path, text);
        return { path, bytes: Buffer.byteLength(text), sha256: report.sha256 };
      });
      let opened: OpenFileResult | null = null;
      if (o.open) opened = await (options.openFile ?? openWithSystemViewer)(written.path);
      if (wantsJson(command)) {
        io.out(JSON.stringify({ runId, format: o.format, path: written.path, bytes: written.bytes, reportSha256: written.sha256, opened }));
      } else {
        io.out(written.path);
      }
      if (opened !== null && !opened.opened) io.err(`could not open ${written.path} (${opened.command}: ${opened.reason ?? 'failed'})`);
    });
}
