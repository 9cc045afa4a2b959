/**
 * Batch kernels over structure-of-arrays Float64Array inputs: one loop, no allocation per element, optional output
 * buffers (allocated once when absent). Bad elements give NaN in their slot (and a status code for implied vols), never
 * an exception: a batch is a map over cells, and a cell's failure is its own.
 *
 * `isCall[i]` is 1 for a call and 0 for a put.
 */
import {
  allocateGreeksBuffers, black76GreeksKernel, black76PriceKernel, bsGreeksKernel, bsPriceKernel,
  forwardMinusStrike, impliedVolKernelStatus, impliedVolUndiscountedKernel, inversePriceKernel, logRatio,
  type GreeksBuffers,
} from './kernels.ts';

/** Black-Scholes inputs as structure of arrays (`carry` = yield q). */
export interface BsBatch {
  readonly length: number;
  readonly spot: Float64Array;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  readonly rate: Float64Array;
  readonly carry: Float64Array;
  readonly vol: Float64Array;
  readonly isCall: Uint8Array;
}

/** Black-76 / inverse inputs as structure of arrays (`rate` ignored by the inverse kernels). */
export interface ForwardBatch {
  readonly length: number;
  readonly forward: Float64Array;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  readonly rate: Float64Array;
  readonly vol: Float64Array;
  readonly isCall: Uint8Array;
}

/** Implied-vol inputs (Black-Scholes with yield): discounted premiums `price`. */
export interface BsImpliedVolBatch {
  readonly length: number;
  readonly price: Float64Array;
  readonly spot: Float64Array;
  readonly strike: Float64Array;
  readonly expiry: Float64Array;
  readonly rate: Float64Array;
  readonly carry: Float64Array;
  readonly isCall: Uint8Array;
}

/** Black-Scholes prices into `out` (length input.length). */
export function bsPriceBatch(input: BsBatch, out: Float64Array = new Float64Array(input.length)): Float64Array {
  const { length, spot, strike, expiry, rate, carry, vol, isCall } = input;
  for (let i = 0; i < length; i++) {
    out[i] = bsPriceKernel(spot[i]!, strike[i]!, expiry[i]!, rate[i]!, carry[i]!, vol[i]!, isCall[i] ? 1 : -1);
  }
  return out;
}

/** Black-Scholes prices and all Greeks into `out`. */
export function bsGreeksBatch(input: BsBatch, out: GreeksBuffers = allocateGreeksBuffers(input.length)): GreeksBuffers {
  const { length, spot, strike, expiry, rate, carry, vol, isCall } = input;
  for (let i = 0; i < length; i++) {
    bsGreeksKernel(spot[i]!, strike[i]!, expiry[i]!, rate[i]!, carry[i]!, vol[i]!, isCall[i] ? 1 : -1, out, i);
  }
  return out;
}

/** Black-76 prices (discounted) into `out`. */
export function black76PriceBatch(input: ForwardBatch, out: Float64Array = new Float64Array(input.length)): Float64Array {
  const { length, forward, strike, expiry, rate, vol, isCall } = input;
  for (let i = 0; i < length; i++) {
    out[i] = black76PriceKernel(forward[i]!, strike[i]!, expiry[i]!, rate[i]!, vol[i]!, isCall[i] ? 1 : -1);
  }
  return out;
}

/** Black-76 prices and Greeks into `out` (dividendRho, vanna, volga untouched). */
export function black76GreeksBatch(
  input: ForwardBatch, out: GreeksBuffers = allocateGreeksBuffers(input.length),
): GreeksBuffers {
  const { length, forward, strike, expiry, rate, vol, isCall } = input;
  for (let i = 0; i < length; i++) {
    black76GreeksKernel(forward[i]!, strike[i]!, expiry[i]!, rate[i]!, vol[i]!, isCall[i] ? 1 : -1, out, i);
  }
  return out;
}

/** Coin prices of inverse options into `out` (rate ignored: r = 0 by convention). */
export function inversePriceBatch(input: ForwardBatch, out: Float64Array = new Float64Array(input.length)): Float64Array {
  const { length, forward, strike, expiry, vol, isCall } = input;
  for (let i = 0; i < length; i++) {
    out[i] = inversePriceKernel(forward[i]!, strike[i]!, expiry[i]!, vol[i]!, isCall[i] ? 1 : -1);
  }
  return out;
}

/**
 * Black-Scholes implied vols into `out`; `status[i]` receives the IMPLIED_VOL_STATUS code (0 ok) and `out[i]` is NaN
 * where no vol exists.
 */
export function impliedVolBatch(
  input: BsImpliedVolBatch, out: Float64Array = new Float64Array(input.length),
  status: Int8Array = new Int8Array(input.length),
): Float64Array {
  const { length, price, spot, strike, expiry, rate, carry, isCall } = input;
  for (let i = 0; i < length; i++) {
    const T = expiry[i]!;
    const r = rate[i]!;
    const S = spot[i]!;
    const K = strike[i]!;
    const mu = (r - carry[i]!) * T;
    out[i] = impliedVolUndiscountedKernel(
      price[i]! * Math.exp(r * T), S * Math.exp(mu), K, T, isCall[i] ? 1 : -1, undefined,
      forwardMinusStrike(S, K, mu), logRatio(S, K) + mu,
    );
    status[i] = impliedVolKernelStatus;
  }
  return out;
}

/** Undiscounted Black implied vols of forward prices into `out`, with per-element status codes. */
export function impliedVolBlackBatch(
  length: number, price: Float64Array, forward: Float64Array, strike: Float64Array, expiry: Float64Array,
  isCall: Uint8Array, out: Float64Array = new Float64Array(length), status: Int8Array = new Int8Array(length),
): Float64Array {
  for (let i = 0; i < length; i++) {
    out[i] = impliedVolUndiscountedKernel(price[i]!, forward[i]!, strike[i]!, expiry[i]!, isCall[i] ? 1 : -1);
    status[i] = impliedVolKernelStatus;
  }
  return out;
}

export { allocateGreeksBuffers, type GreeksBuffers };
