/**
 * The request validator: TypeBox's compiled checker (no Ajv instance of our own, no coercion of bodies). Query
 * strings and path parameters are converted first (`?limit=10` becomes a number) because they arrive as text; bodies
 * are checked as sent, so `"quantity": "5"` is a validation problem, and unknown properties are rejected wherever a
 * schema says `additionalProperties: false`. Each issue carries a JSON pointer (`/positions/3/quantity`) that the
 * error handler turns into a field name.
 *
 * After the schema, every string of the request part (keys included, at any depth, iteratively) must be
 * well-formed Unicode without NUL characters: PostgreSQL cannot store either (a NUL in an id would otherwise reach
 * the database and fail there, a lone surrogate is silently replaced by U+FFFD and no longer matches), and neither
 * has any use in an id, a name or a reason. Such a string is a validation issue naming its field.
 */
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';

/** At most this many issues are reported per request part (the first per field). */
const MAX_ISSUES = 20;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `s` is not acceptable in a request (NUL, lone surrogate), or null. */
function unsafeReason(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(s)) return 'must be well-formed Unicode (no lone surrogates)';
  return null;
}

/** The first string (value or key) of `value` that is not acceptable, with its JSON pointer, or null (iterative: any depth). */
export function firstUnsafeString(value: unknown): { readonly instancePath: string; readonly message: string } | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      const reason = unsafeReason(v);
      if (reason !== null) return { instancePath: path, message: reason };
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const at = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        const reason = unsafeReason(k);
        if (reason !== null) return { instancePath: at, message: `key ${reason}` };
        stack.push([x, at]);
      }
    }
  }
  return null;
}

/** Fastify validator compiler for TypeBox schemas (see the module comment). */
export const typeBoxValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const convert = httpPart !== 'body';
  return (value: unknown) => {
    const input = convert ? Value.Convert(schema, value) : value;
    if (check.Check(input)) {
      const unsafe = firstUnsafeString(input);
      return unsafe === null ? { value: input } : { error: [unsafe] as unknown as Error };
    }
    const seen = new Set<string>();
    const issues: { instancePath: string; message: string }[] = [];
    for (const e of check.Errors(input)) {
      if (seen.has(e.path)) continue;
      seen.add(e.path);
      issues.push({ instancePath: e.path, message: e.message });
      if (issues.length >= MAX_ISSUES) break;
    }
    return { error: issues as unknown as Error };
  };
};
