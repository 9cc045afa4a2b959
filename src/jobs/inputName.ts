/**
 * Input names: what a client of a server may use to name an input (an incident, a portfolio file, a market-data
 * set), never a path: 1-128 letters, digits, `.`, `_`, `-`, starting with a letter or digit, without `..`. The run
 * launcher, the batch launcher and the API all check names with this one rule.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Whether `value` is a plain input name (see the module comment). */
export function isInputName(value: unknown): value is string {
  return typeof value === 'string' && NAME.test(value) && !value.includes('..');
}
