/**
 * A tiny validator for the subset of JSON Schema 2020-12 that src/report/schema.ts uses: type (string or list),
 * properties, required, additionalProperties: false, items, enum, const, anyOf, minimum, maximum, pattern and
 * local $ref (#/$defs/name). Any other keyword except annotations is an error, so the schema cannot silently use
 * something this validator ignores. Returns a list of "path: message" errors (empty = valid).
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set(['$schema', '$id', 'title', 'description', '$defs', 'type', 'properties', 'required', 'additionalProperties',
  'items', 'enum', 'const', 'anyOf', 'minimum', 'maximum', 'pattern', '$ref']);

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case 'null': return v === null;
    case 'boolean': return typeof v === 'boolean';
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    default: throw new Error(`unsupported type ${t}`);
  }
}

/** Validates `value` against `schema` (whose $defs resolve against `root`). */
export function validate(schema: Schema, value: unknown, root: Schema = schema, path = '$'): string[] {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`${path}: unsupported keyword ${key}`);
  const errors: string[] = [];
  if (typeof schema['$ref'] === 'string') {
    const name = (schema['$ref'] as string).replace(/^#\/\$defs\//, '');
    const target = (root['$defs'] as Record<string, Schema> | undefined)?.[name];
    if (target === undefined) throw new Error(`${path}: unresolved $ref ${String(schema['$ref'])}`);
    return validate(target, value, root, path);
  }
  if (Array.isArray(schema['anyOf'])) {
    const ok = (schema['anyOf'] as Schema[]).some((s) => validate(s, value, root, path).length === 0);
    if (!ok) errors.push(`${path}: matches no alternative of anyOf`);
  }
  if (schema['type'] !== undefined) {
    const types = Array.isArray(schema['type']) ? (schema['type'] as string[]) : [schema['type'] as string];
    if (!types.some((t) => typeOk(t, value))) return [...errors, `${path}: expected ${types.join('|')}, got ${JSON.stringify(value)?.slice(0, 40)}`];
  }
  if ('const' in schema && value !== schema['const']) errors.push(`${path}: must equal ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).includes(value)) errors.push(`${path}: not in enum`);
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) errors.push(`${path}: ${value} < minimum ${schema['minimum']}`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) errors.push(`${path}: ${value} > maximum ${schema['maximum']}`);
  }
  if (typeof value === 'string' && typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) {
    errors.push(`${path}: does not match ${schema['pattern']}`);
  }
  if (Array.isArray(value) && schema['items'] !== undefined) {
    value.forEach((v, i) => errors.push(...validate(schema['items'] as Schema, v, root, `${path}[${i}]`)));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema['properties'] ?? {}) as Record<string, Schema>;
    for (const r of (schema['required'] ?? []) as string[]) if (!(r in obj)) errors.push(`${path}: missing ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      if (props[k] !== undefined) errors.push(...validate(props[k], v, root, `${path}.${k}`));
      else if (schema['additionalProperties'] === false) errors.push(`${path}: unexpected property ${k}`);
    }
  }
  return errors;
}
