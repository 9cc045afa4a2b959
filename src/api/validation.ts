/**
 * The request validator: TypeBox's compiled checker (no Ajv instance of our own, no coercion of bodies). Query
 * strings and path parameters are converted first (`?limit=10` becomes a number) because they arrive as text; bodies
 * are checked as sent, so `"quantity": "5"` is a validation problem, and unknown properties are rejected wherever a
 * schema says `additionalProperties: false`. Each issue carries a JSON pointer (`/positions/3/quantity`) that the
 * error handler turns into a field name.
 */
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';

/** At most this many issues are reported per request part (the first per field). */
const MAX_ISSUES = 20;

/** Fastify validator compiler for TypeBox schemas (see the module comment). */
export const typeBoxValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const convert = httpPart !== 'body';
  return (value: unknown) => {
    const input = convert ? Value.Convert(schema, value) : value;
    if (check.Check(input)) return { value: input };
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
