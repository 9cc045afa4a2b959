/**
 * Anti-procyclicality (APC) tools of EMIR RTS 153/2013 Art. 28 as configuration (`ApcConfig`), pure. Inputs are
 * margins already at the MPOR and >= 0, USD.
 *
 * - (a) `buffer` b (>= 0.25): the margin carries a buffer, margin = M (1 + b), which is used up when margins rise:
 *   with the previous margin P, margin = max(M, min(M (1 + b), P)) — a rise of M is absorbed by the buffer until
 *   M exceeds P, the buffer is rebuilt as M falls (ICE IRM 2: buffer depleted in stress; ESMA 2018 guidelines).
 *   Without a previous margin the full buffer applies.
 * - (b) `stressed-weight` w (>= 0.25): margin = w max(M_stressed, M) + (1 - w) M, with M_stressed the margin of the
 *   book over the stressed observations (a P&L vector of stress-period scenarios); the max keeps a calm stress
 *   window from lowering the margin (ICE IRM 1 blends stressed and current vol 25/75 the same way).
 * - (c) `floor`: margin = max(M, M_floor), M_floor the margin over a lookback of >= `lookback_years` (10) years.
 */
import { MarginInputError } from '../../measures/index.ts';
import type { ApcConfig } from './fhsEsModel.ts';

/** What APC did. */
export interface ApcResult {
  readonly method: ApcConfig['method'];
  /** Margin after APC, USD. */
  readonly marginUsd: number;
  /** Margin before APC (M), USD. */
  readonly baseMarginUsd: number;
  /** marginUsd - baseMarginUsd (>= 0). */
  readonly addOnUsd: number;
  /** buffer: fraction of the buffer M b used up by a rise (0 = full buffer, 1 = exhausted); else undefined. */
  readonly bufferUsed?: number;
  /** stressed-weight: M_stressed; floor: M_floor. */
  readonly referenceMarginUsd?: number;
}

/** Inputs of {@link applyApc} beyond the base margin. */
export interface ApcInputs {
  /** Previous (e.g. pre-incident) margin after APC, USD, for the buffer. */
  readonly previousMarginUsd?: number;
  /** Margin over the stressed observations, USD (stressed-weight). */
  readonly stressedMarginUsd?: number;
  /** Margin over the long lookback, USD (floor). */
  readonly floorMarginUsd?: number;
}

function amount(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!(value >= 0) || !Number.isFinite(value)) throw new MarginInputError(field, value, 'expected a finite margin >= 0 (USD)');
  return value;
}

/** Applies the configured APC tool to the base margin `base` (>= 0); see the module comment. */
export function applyApc(config: ApcConfig, base: number, inputs: ApcInputs = {}): ApcResult {
  const M = amount(base, 'baseMarginUsd') as number;
  const done = (marginUsd: number, extra: Partial<ApcResult> = {}): ApcResult =>
    Object.freeze({ method: config.method, marginUsd, baseMarginUsd: M, addOnUsd: marginUsd - M, ...extra });
  switch (config.method) {
    case 'none':
      return done(M);
    case 'buffer': {
      const full = M * (1 + config.buffer);
      const previous = amount(inputs.previousMarginUsd, 'previousMarginUsd');
      const margin = previous === undefined ? full : Math.max(M, Math.min(full, previous));
      const bufferSize = full - M;
      return done(margin, { bufferUsed: bufferSize > 0 ? (full - margin) / bufferSize : 0 });
    }
    case 'stressed-weight': {
      const stressed = amount(inputs.stressedMarginUsd, 'stressedMarginUsd');
      if (stressed === undefined) throw new MarginInputError('stressedPnl', undefined, "APC 'stressed-weight' needs the P&L over the stressed observations");
      const margin = config.weight * Math.max(stressed, M) + (1 - config.weight) * M;
      return done(margin, { referenceMarginUsd: stressed });
    }
    case 'floor': {
      const floor = amount(inputs.floorMarginUsd, 'floorMarginUsd');
      if (floor === undefined) throw new MarginInputError('floorPnl', undefined, `APC 'floor' needs the P&L over a ${config.lookback_years}-year lookback (or floorMarginUsd)`);
      return done(Math.max(M, floor), { referenceMarginUsd: floor });
    }
  }
}
