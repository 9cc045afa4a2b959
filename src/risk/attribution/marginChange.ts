/**
 * "Why did my margin change?": the change of an account's margin from the pre-incident calibration to the new one,
 * split into effects by a sequential (waterfall) substitution of the calibration's parts: first the surfaces, then
 * the scenarios and correlation, then the add-ons (the order is a parameter). Each step swaps one part from the pre
 * to the post calibration and the effect is the margin difference it causes.
 *
 * Amounts are in the margin's currency (USD by convention) and rounded to the cent before differencing: the effects
 * are then whole numbers of cents and sum EXACTLY to the total change (no floating-point residue), which is what a
 * risk desk reconciles against. The sequential split depends on the order of the steps; that is stated with the
 * result (`order`), as every waterfall attribution must.
 */

/** One part of the calibration that the attribution swaps from pre to post. */
export interface AttributionStep<I> {
  /** The effect's name, e.g. 'surface', 'scenarios', 'addOns'. */
  readonly name: string;
  /** `current` with this part taken from `post` (pure: returns a new value). */
  swap(current: I, post: I): I;
}

/** One effect of the waterfall, in the margin's currency (rounded to the cent). */
export interface AttributionEffect {
  readonly name: string;
  readonly amount: number;
}

/** The change of one account's margin and its split. */
export interface MarginChangeAttribution {
  /** Margin under the pre-incident calibration (rounded to the cent). */
  readonly before: number;
  /** Margin under the new calibration (rounded to the cent). */
  readonly after: number;
  /** after - before; equals the sum of `effects` exactly. */
  readonly change: number;
  readonly effects: readonly AttributionEffect[];
  /** Step names in the order they were swapped. */
  readonly order: readonly string[];
}

/** Error raised when a margin evaluation is not a finite number (the account then gets a per-account failure). */
export class AttributionError extends Error {
  override readonly name = 'AttributionError';
  constructor(readonly step: string, readonly value: number) {
    super(`margin after step '${step}' is ${value}: attribution needs finite margins`);
  }
}

/** Rounds an amount to whole cents, as an integer number of cents. */
function toCents(amount: number): number {
  return Math.round(amount * 100);
}

/**
 * Attributes margin(post) - margin(pre) to the given steps. `margin` is evaluated steps.length + 1 times; the last
 * evaluation uses the fully swapped inputs, which must be equivalent to `post` (checked: its margin must equal
 * margin(post) to the cent, else the steps do not cover every part that changed and an 'unexplained' effect is added).
 */
export function attributeMarginChange<I>(
  pre: I, post: I, margin: (inputs: I) => number, steps: readonly AttributionStep<I>[],
): MarginChangeAttribution {
  const evaluate = (inputs: I, step: string): number => {
    const m = margin(inputs);
    if (!Number.isFinite(m)) throw new AttributionError(step, m);
    return toCents(m);
  };
  const beforeCents = evaluate(pre, 'pre');
  const afterCents = evaluate(post, 'post');
  const effects: AttributionEffect[] = [];
  let current = pre;
  let previousCents = beforeCents;
  for (const step of steps) {
    current = step.swap(current, post);
    const cents = evaluate(current, step.name);
    effects.push(Object.freeze({ name: step.name, amount: (cents - previousCents) / 100 }));
    previousCents = cents;
  }
  if (previousCents !== afterCents) {
    effects.push(Object.freeze({ name: 'unexplained', amount: (afterCents - previousCents) / 100 }));
  }
  return Object.freeze({
    before: beforeCents / 100,
    after: afterCents / 100,
    change: (afterCents - beforeCents) / 100,
    effects: Object.freeze(effects),
    order: Object.freeze(steps.map((s) => s.name)),
  });
}
