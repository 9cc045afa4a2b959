/**
 * The JavaScript peers of the pricing benchmark, loaded from node_modules through `createRequire` (they are
 * CommonJS without type declarations; the shapes below are taken from their sources):
 *
 * - `black-scholes` 1.1.0: `blackScholes(s, k, t, v, r, callPut)`, no yield parameter; its normal cdf is a
 *   100-term Taylor series cut to 0/1 beyond |x| >= 8.
 * - `implied-volatility` 1.0.0: `getImpliedVolatility(price, s, k, t, r, callPut, estimate = 0.1)`, a
 *   bracketing search (doubling, then bisection) on `black-scholes` prices, at most 100 iterations; it stops early
 *   only when price * 100 equals floor(model price * 100), which almost never holds, so it runs all 100.
 * - `quantlib-wasm`: an Emscripten build of QuantLib; `probeQuantLib` checks whether its embind bindings expose
 *   anything that prices a European option or inverts a Black price.
 *
 * Neither JS peer takes a yield q, so both are given the spot S e^{-qT}: Black-Scholes with yield q on S equals
 * Black-Scholes without yield on S e^{-qT} (same forward, same discounting). That product is computed inside the
 * timed loop, as a caller would have to.
 */
import { createRequire } from 'node:module';
import type { BsBatch } from '../../../src/pricing/index.ts';

const require = createRequire(import.meta.url);

type CallPut = 'call' | 'put';

interface BlackScholesModule {
  blackScholes(s: number, k: number, t: number, v: number, r: number, callPut: CallPut): number;
}

interface ImpliedVolatilityModule {
  getImpliedVolatility(
    expectedCost: number, s: number, k: number, t: number, r: number, callPut: CallPut, estimate?: number,
  ): number;
}

/** Version string from a package's package.json, or 'unknown'. */
export function packageVersion(name: string): string {
  try {
    const pkg = require(`${name}/package.json`) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Load `black-scholes`; throws if it is not installed. */
export function loadBlackScholes(): BlackScholesModule {
  return require('black-scholes') as BlackScholesModule;
}

/** Load `implied-volatility`; throws if it is not installed. */
export function loadImpliedVolatility(): ImpliedVolatilityModule {
  return require('implied-volatility') as ImpliedVolatilityModule;
}

/** Prices of the first n options of `batch` by `black-scholes` into `out`. */
export function peerPrices(lib: BlackScholesModule, batch: BsBatch, n: number, out: Float64Array): void {
  const { spot, strike, expiry, rate, carry, vol, isCall } = batch;
  for (let i = 0; i < n; i++) {
    const T = expiry[i]!;
    out[i] = lib.blackScholes(
      spot[i]! * Math.exp(-carry[i]! * T), strike[i]!, T, vol[i]!, rate[i]!, isCall[i] ? 'call' : 'put',
    );
  }
}

/** Implied vols of `price` (first n options of `batch`) by `implied-volatility` into `out`. */
export function peerImpliedVols(
  lib: ImpliedVolatilityModule, batch: BsBatch, price: Float64Array, n: number, out: Float64Array,
): void {
  const { spot, strike, expiry, rate, carry, isCall } = batch;
  for (let i = 0; i < n; i++) {
    const T = expiry[i]!;
    out[i] = lib.getImpliedVolatility(
      price[i]!, spot[i]! * Math.exp(-carry[i]! * T), strike[i]!, T, rate[i]!, isCall[i] ? 'call' : 'put',
    );
  }
}

/** What `probeQuantLib` found. */
export interface QuantLibProbe {
  readonly usable: boolean;
  readonly version: string;
  /** Why it cannot be benchmarked (or what it offers when it can). */
  readonly reason: string;
}

/** Names a QuantLib binding would need to price a European option analytically or to invert a Black price. */
const OPTION_NAMES = [
  'EuropeanOption', 'VanillaOption', 'PlainVanillaPayoff', 'EuropeanExercise', 'AnalyticEuropeanEngine',
  'BlackScholesMertonProcess', 'GeneralizedBlackScholesProcess', 'BlackConstantVol', 'blackFormula',
  'blackFormulaImpliedStdDev', 'blackFormulaImpliedStdDevLiRS', 'BlackCalculator',
] as const;

/**
 * Load quantlib-wasm and list which option-pricing names its embind module exports. Never throws: a load failure is
 * reported as the reason.
 */
export async function probeQuantLib(): Promise<QuantLibProbe> {
  const version = packageVersion('quantlib-wasm');
  let module: Record<string, unknown>;
  try {
    const factory = require('quantlib-wasm') as () => Promise<Record<string, unknown>>;
    module = await factory();
  } catch (error) {
    return Object.freeze({ usable: false, version, reason: `failed to load: ${String(error)}` });
  }
  const exported = Object.keys(module).filter((k) => /^[A-Z]/.test(k) || typeof module[k] === 'function')
    .filter((k) => !k.startsWith('_') && !/^(HEAP|asm|dynCall)/.test(k));
  const present = OPTION_NAMES.filter((name) => name in module);
  if (present.length === 0) {
    const sample = exported.filter((k) => /Swap|Curve|Schedule|Calendar|Ibor|Date/.test(k)).slice(0, 8);
    return Object.freeze({
      usable: false, version,
      reason: `its embind bindings export ${exported.length} names (dates, calendars, schedules, yield curves, ` +
        `rate helpers, swaps, e.g. ${sample.join(', ')}) and none of ${OPTION_NAMES.join(', ')}: there is no way ` +
        'to price a European option or invert a Black price from JavaScript' +
        (version === '1.36.1'
          ? " (the 1.36.1 wasm does contain QuantLib's blackFormula, for its coupon pricers, but no binding reaches it)"
          : ''),
    });
  }
  return Object.freeze({
    usable: false, version,
    reason: `exports ${present.join(', ')}, but this bench has no driver for them yet (write one in ` +
      'scripts/bench/support/peers.ts)',
  });
}
