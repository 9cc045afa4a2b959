/**
 * The attribution JSON the recalibration pipeline stores with each account margin (format 1), checked before it is
 * served. Conventions: USD, P&L positive for a gain, margins >= 0; `change.effects` sum to `change.totalUsd`
 * (checked to a relative 1e-9, the rounding of a few additions). Stored JSON is data from another process: null or an
 * older document without `format` is "no attribution" (the response says so with nulls), anything else that does not
 * match format 1 is malformed and the account answers a 500 problem whose detail says nothing about the data.
 */

/** One position of the account's book (instrument id of the run's P&L matrix, signed quantity in units). */
export interface AttributionPosition {
  readonly instrument: string;
  readonly quantity: number;
}

/** One named effect of the change of margin, USD. */
export interface AttributionEffect {
  readonly name: 'surface' | 'scenarios' | 'addOns' | 'unexplained';
  readonly amountUsd: number;
}

/** The parts of an initial margin, USD (stored attributions and what-if answers share them). */
export interface MarginComponentsUsd {
  /** Expected shortfall at the MPOR. */
  readonly esMporUsd: number;
  /** The ES margin after anti-procyclicality. */
  readonly apcMarginUsd: number;
  readonly liquidityAddOnUsd: number;
  readonly concentrationAddOnUsd: number;
  readonly incidentAddOnUsd: number;
}

/** The validated attribution of one account (format 1). */
export interface Attribution {
  readonly format: 1;
  readonly positions: readonly AttributionPosition[];
  readonly preIncident: { readonly initialMarginUsd: number; readonly maintenanceMarginUsd: number } | null;
  readonly change: { readonly totalUsd: number; readonly effects: readonly AttributionEffect[]; readonly order: readonly string[] } | null;
  readonly worstScenario: { readonly id: string; readonly pnlUsd: number } | null;
  readonly drivers: readonly { readonly instrument: string; readonly quantity: number; readonly pnlUsd: number }[];
  /** Margin call, USD, >= 0. */
  readonly marginCallUsd: number;
  readonly components: MarginComponentsUsd;
}

/** The outcome of reading a stored attribution. */
export type AttributionReading =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly value: Attribution }
  | { readonly kind: 'malformed'; readonly reason: string };

const EFFECTS = new Set(['surface', 'scenarios', 'addOns', 'unexplained']);

class Malformed extends Error {}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Malformed(`${path}: must be an object`);
  return v as Record<string, unknown>;
}
function num(v: unknown, path: string, nonNegative = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Malformed(`${path}: must be a finite number`);
  if (nonNegative && v < 0) throw new Malformed(`${path}: must be >= 0`);
  return v;
}
function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') throw new Malformed(`${path}: must be a non-empty string`);
  return v;
}
function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new Malformed(`${path}: must be an array`);
  return v;
}

function parseFormat1(d: Record<string, unknown>): Attribution {
  const positions = arr(d['positions'], 'positions').map((p, i) => {
    const o = obj(p, `positions[${i}]`);
    return Object.freeze({ instrument: str(o['instrument'], `positions[${i}].instrument`), quantity: num(o['quantity'], `positions[${i}].quantity`) });
  });
  let preIncident: Attribution['preIncident'] = null;
  if (d['preIncident'] !== null) {
    const o = obj(d['preIncident'], 'preIncident');
    preIncident = Object.freeze({
      initialMarginUsd: num(o['initialMarginUsd'], 'preIncident.initialMarginUsd', true),
      maintenanceMarginUsd: num(o['maintenanceMarginUsd'], 'preIncident.maintenanceMarginUsd', true),
    });
  }
  let change: Attribution['change'] = null;
  if (d['change'] !== null) {
    const o = obj(d['change'], 'change');
    const totalUsd = num(o['totalUsd'], 'change.totalUsd');
    const effects = arr(o['effects'], 'change.effects').map((e, i) => {
      const eo = obj(e, `change.effects[${i}]`);
      const name = str(eo['name'], `change.effects[${i}].name`);
      if (!EFFECTS.has(name)) throw new Malformed(`change.effects[${i}].name: unknown effect`);
      return Object.freeze({ name: name as AttributionEffect['name'], amountUsd: num(eo['amountUsd'], `change.effects[${i}].amountUsd`) });
    });
    const order = arr(o['order'], 'change.order').map((n, i) => str(n, `change.order[${i}]`));
    let sum = 0;
    let scale = Math.abs(totalUsd);
    for (const e of effects) {
      sum += e.amountUsd;
      scale = Math.max(scale, Math.abs(e.amountUsd));
    }
    if (Math.abs(sum - totalUsd) > 1e-9 * Math.max(1, scale)) throw new Malformed('change.effects: do not sum to change.totalUsd');
    change = Object.freeze({ totalUsd, effects: Object.freeze(effects), order: Object.freeze(order) });
  }
  let worstScenario: Attribution['worstScenario'] = null;
  if (d['worstScenario'] !== null) {
    const o = obj(d['worstScenario'], 'worstScenario');
    worstScenario = Object.freeze({ id: str(o['id'], 'worstScenario.id'), pnlUsd: num(o['pnlUsd'], 'worstScenario.pnlUsd') });
  }
  const drivers = arr(d['drivers'], 'drivers').map((x, i) => {
    const o = obj(x, `drivers[${i}]`);
    return Object.freeze({
      instrument: str(o['instrument'], `drivers[${i}].instrument`),
      quantity: num(o['quantity'], `drivers[${i}].quantity`),
      pnlUsd: num(o['pnlUsd'], `drivers[${i}].pnlUsd`),
    });
  });
  const c = obj(d['components'], 'components');
  const components: MarginComponentsUsd = Object.freeze({
    esMporUsd: num(c['esMporUsd'], 'components.esMporUsd', true),
    apcMarginUsd: num(c['apcMarginUsd'], 'components.apcMarginUsd', true),
    liquidityAddOnUsd: num(c['liquidityAddOnUsd'], 'components.liquidityAddOnUsd', true),
    concentrationAddOnUsd: num(c['concentrationAddOnUsd'], 'components.concentrationAddOnUsd', true),
    incidentAddOnUsd: num(c['incidentAddOnUsd'], 'components.incidentAddOnUsd', true),
  });
  return Object.freeze({
    format: 1,
    positions: Object.freeze(positions),
    preIncident,
    change,
    worstScenario,
    drivers: Object.freeze(drivers),
    marginCallUsd: num(d['marginCallUsd'], 'marginCallUsd', true),
    components,
  });
}

/** Reads a stored attribution (see the module comment); never throws. */
export function readAttribution(stored: unknown): AttributionReading {
  if (stored === null || stored === undefined) return { kind: 'none' };
  if (typeof stored !== 'object' || Array.isArray(stored)) return { kind: 'malformed', reason: 'attribution is not an object' };
  const format = (stored as Record<string, unknown>)['format'];
  if (format === undefined) return { kind: 'none' }; // written before format 1: nothing we can read
  if (format !== 1) return { kind: 'malformed', reason: `unsupported attribution format ${JSON.stringify(format)}` };
  try {
    return { kind: 'ok', value: parseFormat1(stored as Record<string, unknown>) };
  } catch (e) {
    if (e instanceof Malformed) return { kind: 'malformed', reason: e.message };
    throw e;
  }
}
