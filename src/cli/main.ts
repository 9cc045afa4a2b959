/**
 * The `aftershock` command. This stage ships the pricing commands; the recalibration pipeline (recalibrate, runs,
 * promote, rollback, serve, ...) of DESIGN.md §7 arrives with the jobs issue. Exit codes: 0 done, 1 failed,
 * 2 bad input or usage.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { bsGreeks, impliedVolDetailed, ImpliedVolError, PricingInputError, type OptionType } from '../pricing/index.ts';
import { CliInputError, type Io } from './io.ts';
import { registerStress } from './stress.ts';

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


/** Builds the command tree; `io` receives the output lines (tests capture them). */
export function buildProgram(io: Io): Command {
  const program = new Command('aftershock')
    .description('Post-incident risk recalibration engine for crypto options venues')
    .option('--json', 'machine-readable output')
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
  registerStress(program, io);
  return program;
}

/** Runs the command line and returns the exit code (0 done, 1 failed, 2 bad input or usage). */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CliInputError) {
      io.err(`error: ${e.message}`);
      return 2;
    }
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ImpliedVolError || e instanceof PricingInputError) {
      io.err(`error: ${e.message}`);
      return 2;
    }
    io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
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
