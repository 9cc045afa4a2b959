/**
 * The `aftershock` command (DESIGN.md §7). Global options: `--db <path|postgres://...>` (default: DATABASE_URL, else
 * the embedded SQLite file ./.aftershock/aftershock.db, created on first use; see db.ts) and `--json` (one JSON
 * document on stdout; progress and notices go to stderr). Commands:
 *   price, iv                      pricing (below)
 *   stress                         venue portfolio margin of every account (stress.ts)
 *   recalibrate                    the recalibration job (recalibrate.ts)
 *   runs list | show <runId>       stored runs (runs.ts)
 *   promote <runId> [--reason]     rollback [--reason]     the calibration lifecycle (lifecycle.ts)
 *   report <runId> [--out] [--format html|json] [--open]   the stored report (report.ts)
 *   keys create | list | revoke    API keys (keys.ts)
 *   serve                          the HTTP API (serve.ts)
 *   worker [--concurrency n]       scale-out stress-batch worker on PostgreSQL (worker.ts)
 *   schedule add | list | remove | batches | report   stress-batch schedules and batches (schedule.ts)
 * Exit codes: 0 done, 1 failed, 2 bad input or usage (unknown run, refused promotion, bad role...), 3 a job that
 * finished partial (a command signals it by setting process.exitCode; `run` isolates it per call). Errors are
 * mapped by errorReport.ts; with --json an error is also one `{ "error": {...} }` document on stdout. stress,
 * recalibrate and serve are imported only when named (or for the top-level help): the other commands start faster.
 */
import { Command, InvalidArgumentError } from 'commander';
import { bsGreeks, impliedVolDetailed, type OptionType } from '../pricing/index.ts';
import { attachContext, type RunOptions } from './context.ts';
import { reportError } from './errorReport.ts';
import type { Io } from './io.ts';
import { registerKeys } from './keys.ts';
import { registerLifecycle } from './lifecycle.ts';
import { registerReport } from './report.ts';
import { registerRuns } from './runs.ts';
import { registerSchedule } from './schedule.ts';

function num(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a finite number, got "${value}"`);
    return n;
  };
}

function optionType(value: string): OptionType {
  if (value !== 'call' && value !== 'put') throw new InvalidArgumentError(`type must be call or put, got "${value}"`);
  return value;
}


/**
 * Commands whose modules load the recalibration pipeline or the HTTP server (about a second of imports): registered
 * only when `argv` names them, or for the top-level help, so that `runs`, `promote`, `keys`... start faster.
 */
const HEAVY_COMMANDS: Readonly<Record<string, (program: Command, io: Io) => Promise<void>>> = {
  stress: async (program, io) => (await import('./stress.ts')).registerStress(program, io),
  recalibrate: async (program, io) => (await import('./recalibrate.ts')).registerRecalibrate(program, io),
  serve: async (program, io) => (await import('./serve.ts')).registerServe(program, io),
  worker: async (program, io) => (await import('./worker.ts')).registerWorker(program, io),
};

/** The command `argv` names: its first word that is neither an option nor the value of `--db`; undefined if none. */
export function requestedCommand(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--db') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/**
 * Builds the command tree; `io` receives the output lines (tests capture them), `options` override the environment.
 * With `argv`, only the heavy command it names is registered (all of them when it names none, or `help`).
 */
export async function buildProgram(io: Io, options: RunOptions = {}, argv?: readonly string[]): Promise<Command> {
  const program = new Command('aftershock')
    .description('Post-incident risk recalibration engine for crypto options venues')
    .option('--json', 'machine-readable output: one JSON document on stdout')
    .option('--db <path|postgres://...>', 'the store (default: DATABASE_URL, else ./.aftershock/aftershock.db)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program.command('price')
    .description('Black-Scholes price and Greeks (vega per 1.00 vol, theta per year, rho per 1.00 rate)')
    .requiredOption('--spot <n>', 'spot price', num('spot'))
    .requiredOption('--strike <n>', 'strike', num('strike'))
    .requiredOption('--expiry <years>', 'time to expiry in years (ACT/365)', num('expiry'))
    .requiredOption('--vol <n>', 'annualised volatility, e.g. 0.65', num('vol'))
    .option('--rate <n>', 'continuously compounded rate', num('rate'), 0)
    .option('--carry <n>', 'continuous yield q (dividend, foreign rate)', num('carry'), 0)
    .option('--type <call|put>', 'option type', optionType, 'call' as OptionType)
    .action((o: { spot: number; strike: number; expiry: number; vol: number; rate: number; carry: number; type: OptionType }) => {
      const g = bsGreeks({ spot: o.spot, strike: o.strike, expiry: o.expiry, rate: o.rate, carry: o.carry, vol: o.vol, type: o.type });
      if (program.opts<{ json?: boolean }>().json) io.out(JSON.stringify(g));
      else for (const [k, v] of Object.entries(g)) io.out(`${k.padEnd(12)} ${v}`);
    });

  program.command('iv')
    .description('Black-Scholes implied volatility of a premium ("Let\'s Be Rational", two Householder steps)')
    .requiredOption('--price <n>', 'discounted option premium', num('price'))
    .requiredOption('--spot <n>', 'spot price', num('spot'))
    .requiredOption('--strike <n>', 'strike', num('strike'))
    .requiredOption('--expiry <years>', 'time to expiry in years (ACT/365)', num('expiry'))
    .option('--rate <n>', 'continuously compounded rate', num('rate'), 0)
    .option('--carry <n>', 'continuous yield q', num('carry'), 0)
    .option('--type <call|put>', 'option type', optionType, 'call' as OptionType)
    .option('--inverse', 'coin-settled (Deribit) quote: --price in coin, --spot is the forward of the expiry, r = 0')
    .action((o: { price: number; spot: number; strike: number; expiry: number; rate: number; carry: number; type: OptionType; inverse?: boolean }) => {
      // a coin price p on forward F is the undiscounted USD premium p F (methods.md §1.5 item 6)
      const r = o.inverse
        ? impliedVolDetailed({ price: o.price * o.spot, spot: o.spot, strike: o.strike, expiry: o.expiry, rate: 0, type: o.type })
        : impliedVolDetailed(o);
      if (program.opts<{ json?: boolean }>().json) io.out(JSON.stringify(r));
      else io.out(`vol ${r.vol} (${r.iterations} Householder steps, ${r.stopReason}, ${r.branch} branch)`);
    });
  const requested = argv === undefined ? undefined : requestedCommand(argv);
  for (const [name, register] of Object.entries(HEAVY_COMMANDS)) {
    if (requested === undefined || requested === 'help' || requested === name) await register(program, io);
  }
  registerRuns(program);
  registerLifecycle(program);
  registerReport(program);
  registerKeys(program);
  registerSchedule(program);
  attachContext(program, { io, options });
  return program;
}

/**
 * Runs the command line and returns the exit code (0 done, 1 failed, 2 bad input or usage, 3 finished partial).
 * `options` inject the environment, working directory, clock, lease and file opener (tests); by default the
 * process's. process.exitCode is saved and restored around the call, so one call's partial result does not leak.
 */
export async function run(argv: readonly string[], io: Io, options: RunOptions = {}): Promise<number> {
  const program = await buildProgram(io, options, argv);
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    const code = process.exitCode as number | string | undefined;
    return typeof code === 'number' && code !== 0 ? code : 0;
  } catch (e) {
    const report = reportError(e);
    if (report.message !== null) for (const line of `error: ${report.message}`.split('\n')) io.err(line);
    const json = program.opts<{ json?: boolean }>().json === true || argv.includes('--json');
    if (json && report.json !== null) io.out(JSON.stringify(report.json));
    return report.exitCode;
  } finally {
    process.exitCode = saved;
  }
}

const isMain = process.argv[1] !== undefined && /(?:cli[\\/]main\.ts|bin[\\/]aftershock(?:\.js)?)$/.test(process.argv[1]);
if (isMain) {
  const code = await run(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  });
  process.exitCode = code;
}
