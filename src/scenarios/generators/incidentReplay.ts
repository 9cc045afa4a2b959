/**
 * Incident replay (pure, deterministic): the moves observed across the incident window, applied as one scenario to
 * today's book. Spot: per underlying, the simple return between two observed prices around the window (picked as
 * the model says: `covering` or `nearest`, within `max_observation_gap_days` of the window edges). Vol: per
 * underlying, the change of the ATM implied-vol term structure from `atmBefore` to `atmAfter`, as a
 * `term-structure` rule on the union of both tenor grids (each structure interpolated linearly in days, flat
 * beyond its ends), absolute (`after - before`) or relative (`after / before`).
 *
 * Per-underlying failures are results: an underlying without usable observations keeps a 0 move and is listed in
 * `details.unobserved`; one without both term structures keeps its vols (`details.volUnchanged`). The scenario
 * (`replay:<incident id>`) is instantaneous (`timeStepDays` 0); the observed span is in `details.observed`.
 */
import { parseDateOnlyUtc, type FuturesMark, type PriceSeries } from '../../market/index.ts';
import { ScenarioInputError, expectValid } from '../errors.ts';
import type { Incident } from '../incident/incident.ts';
import { validateIncidentReplayModel, type IncidentReplayModel } from '../models/incidentReplay.ts';
import { buildScenarioSet } from '../buildScenarioSet.ts';
import type { ScenarioSet, VolShiftRule } from '../types.ts';
import { NO_VOL_SHIFT, interpolateFlat } from '../volShift.ts';

const DAY_MS = 86_400_000;

/** A price observed at an instant. */
export interface PriceObservation {
  readonly asset: string;
  /** Observation instant, UTC epoch ms. */
  readonly timeMs: number;
  /** Price (positive), any currency consistent per asset. */
  readonly price: number;
}

/** ATM implied vols (annualised decimals) by days to expiry, tenors strictly ascending. */
export interface AtmTermStructure {
  readonly tenorDays: readonly number[];
  readonly vols: readonly number[];
}

/** Options of {@link incidentReplayScenarios}. */
export interface IncidentReplayOptions {
  readonly underlyings: readonly string[];
  readonly observations: readonly PriceObservation[];
  readonly atmBefore?: Readonly<Record<string, AtmTermStructure>>;
  readonly atmAfter?: Readonly<Record<string, AtmTermStructure>>;
  /** Set id; default `incident-replay:<incident id>`. */
  readonly id?: string;
}

/** Daily closes as observations at their close instant (the next UTC midnight; see market/returns/types.ts). */
export function dailyCloseObservations(series: readonly PriceSeries[]): PriceObservation[] {
  const out: PriceObservation[] = [];
  for (const s of series) {
    s.dates.forEach((d, i) => {
      const day = parseDateOnlyUtc(d);
      if (day === null) throw new ScenarioInputError(`series.${s.asset}.dates[${i}]`, d, 'expected YYYY-MM-DD');
      const ms = day + DAY_MS;
      out.push({ asset: s.asset, timeMs: ms, price: s.closes[i] as number });
    });
  }
  return out;
}

/** Futures marks (e.g. perpetuals) as observations of their underlying at the price's own timestamp. */
export function futuresMarkObservations(marks: readonly FuturesMark[]): PriceObservation[] {
  return marks.map((m) => ({ asset: m.underlying, timeMs: m.priceTimestampMs, price: m.price }));
}

/** The pair of observations standing for the window edges, or a reason why there is none. */
export function pickObservations(
  obs: readonly PriceObservation[],
  startMs: number,
  endMs: number,
  pick: IncidentReplayModel['pick'],
  maxGapDays: number,
): { before: PriceObservation; after: PriceObservation } | { reason: string } {
  const sorted = [...obs].sort((a, b) => a.timeMs - b.timeMs);
  let before: PriceObservation | undefined;
  let after: PriceObservation | undefined;
  if (pick === 'covering') {
    for (const o of sorted) if (o.timeMs <= startMs) before = o;
    after = sorted.find((o) => o.timeMs >= endMs);
  } else {
    for (const o of sorted) if (before === undefined || Math.abs(o.timeMs - startMs) < Math.abs(before.timeMs - startMs)) before = o;
    for (const o of sorted) if (after === undefined || Math.abs(o.timeMs - endMs) < Math.abs(after.timeMs - endMs)) after = o;
  }
  if (before === undefined || after === undefined) return { reason: `no observation ${before === undefined ? 'at or before the start' : 'at or after the end'}` };
  if (!(after.timeMs > before.timeMs)) return { reason: 'the observations picked for the start and the end coincide' };
  const gap = Math.max(Math.abs(startMs - before.timeMs), Math.abs(after.timeMs - endMs)) / DAY_MS;
  if (gap > maxGapDays) return { reason: `nearest observations are ${gap.toFixed(2)} days from the window edges (max ${maxGapDays})` };
  return { before, after };
}

function checkStructure(ts: AtmTermStructure, field: string): void {
  if (ts === null || typeof ts !== 'object' || !Array.isArray(ts.tenorDays) || ts.tenorDays.length === 0) {
    throw new ScenarioInputError(`${field}.tenorDays`, ts?.tenorDays, 'expected a non-empty array of days to expiry');
  }
  if (!Array.isArray(ts.vols) || ts.vols.length !== ts.tenorDays.length) throw new ScenarioInputError(`${field}.vols`, ts.vols, `expected ${ts.tenorDays.length} vols (one per tenor)`);
  ts.tenorDays.forEach((d, i) => {
    if (!(Number.isFinite(d) && d >= 0) || (i > 0 && !(d > (ts.tenorDays[i - 1] as number)))) {
      throw new ScenarioInputError(`${field}.tenorDays[${i}]`, d, 'tenors must be finite, >= 0 and strictly ascending');
    }
  });
  ts.vols.forEach((v, i) => {
    if (!(Number.isFinite(v) && v > 0)) throw new ScenarioInputError(`${field}.vols[${i}]`, v, 'expected a positive annualised vol');
  });
}

/** The ATM-vol change rule from `before` to `after` on the union of their tenors. */
export function atmChangeRule(before: AtmTermStructure, after: AtmTermStructure, mode: 'absolute' | 'relative'): VolShiftRule {
  const tenors = [...new Set([...before.tenorDays, ...after.tenorDays])].sort((a, b) => a - b);
  const values = tenors.map((d) => {
    const b = interpolateFlat(before.tenorDays, before.vols, d);
    const a = interpolateFlat(after.tenorDays, after.vols, d);
    return mode === 'absolute' ? a - b : a / b;
  });
  return Object.freeze({ kind: 'term-structure', mode, tenorDays: Object.freeze(tenors), values: Object.freeze(values) });
}

/** The replay scenario set of `incident`; see the module comment. */
export function incidentReplayScenarios(incident: Incident, model: IncidentReplayModel, options: IncidentReplayOptions): ScenarioSet {
  const m = expectValid(validateIncidentReplayModel(model), 'scenarios/incident-replay');
  const { underlyings } = options;
  if (!Array.isArray(underlyings) || underlyings.length === 0) throw new ScenarioInputError('underlyings', underlyings, 'expected at least one underlying');
  options.observations.forEach((o, i) => {
    if (!(Number.isFinite(o.timeMs) && Number.isFinite(o.price) && o.price > 0)) throw new ScenarioInputError(`observations[${i}]`, o, 'expected a finite time and a positive price');
  });
  const moves: number[] = [];
  const volShifts: VolShiftRule[] = [];
  const observed: Record<string, unknown> = {};
  const unobserved: Array<{ asset: string; reason: string }> = [];
  const volUnchanged: string[] = [];
  for (const u of underlyings) {
    const picked = pickObservations(options.observations.filter((o) => o.asset === u), incident.startedAtMs, incident.endedAtMs, m.pick, m.max_observation_gap_days);
    if ('reason' in picked) {
      unobserved.push({ asset: u, reason: picked.reason });
      moves.push(0);
    } else {
      const r = picked.after.price / picked.before.price - 1;
      moves.push(r);
      observed[u] = {
        beforeMs: picked.before.timeMs, beforePrice: picked.before.price, afterMs: picked.after.timeMs, afterPrice: picked.after.price,
        simpleReturn: r, spanDays: (picked.after.timeMs - picked.before.timeMs) / DAY_MS,
      };
    }
    const b = options.atmBefore?.[u];
    const a = options.atmAfter?.[u];
    if (b === undefined || a === undefined) {
      volUnchanged.push(u);
      volShifts.push(NO_VOL_SHIFT);
    } else {
      checkStructure(b, `atmBefore.${u}`);
      checkStructure(a, `atmAfter.${u}`);
      volShifts.push(atmChangeRule(b, a, m.vol_mode));
    }
  }
  const affected = incident.affected.underlyings.filter((u) => underlyings.includes(u));
  return buildScenarioSet({
    id: options.id ?? `incident-replay:${incident.id}`,
    kind: 'incident-replay',
    modelVersion: `scenarios/incident-replay@${m.version}`,
    underlyings,
    weightMeaning: 'pnl-fraction',
    scenarios: [{
      id: `replay:${incident.id}`,
      label: `replay of ${incident.title} (${incident.startedAt} .. ${incident.endedAt})`,
      spotReturns: moves,
      volShifts,
      timeStepDays: 0,
      weight: 1,
      tags: [`incident:${incident.id}`, ...affected.map((u) => `affected:${u}`)],
    }],
    details: { incident: incident.id, window: { startMs: incident.startedAtMs, endMs: incident.endedAtMs }, pick: m.pick, volMode: m.vol_mode, observed, unobserved, volUnchanged },
  });
}
