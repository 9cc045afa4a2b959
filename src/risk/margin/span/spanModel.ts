/**
 * The SPAN-style margin model (`models/margin/span/<version>.json`): the charges added to the scanning risk. The
 * scan ranges and the 16 scenarios are the scenario model's (`models/scenarios/span`). Pure validator.
 */
import { Checker, deepFreeze, type Validated } from '../../../scenarios/index.ts';

/** A validated SPAN-style margin model. */
export interface SpanMarginModel {
  readonly model: 'margin/span';
  readonly version: string;
  /** Intra-commodity (calendar) spread charge per USD of spread delta, e.g. 0.01. */
  readonly intra_commodity_spread_rate: number;
  /** Short option minimum per USD of net short option notional, e.g. 0.01. */
  readonly short_option_minimum_rate: number;
}

/** Validates parsed JSON as a SPAN-style margin model. */
export function validateSpanMarginModel(json: unknown): Validated<SpanMarginModel> {
  const c = new Checker('margin');
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['model', 'version', 'description', 'source', 'intra_commodity_spread_rate', 'short_option_minimum_rate'], '');
  const version = c.header(root, 'margin/span');
  const spread = c.number(root, 'intra_commodity_spread_rate', '', { min: 0, max: 1 });
  const som = c.number(root, 'short_option_minimum_rate', '', { min: 0, max: 1 });
  return c.result(() => deepFreeze({ model: 'margin/span' as const, version, intra_commodity_spread_rate: spread, short_option_minimum_rate: som }));
}
