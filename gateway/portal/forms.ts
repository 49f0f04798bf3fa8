// Reading the portal's forms and queries: strings only, length-capped; the verbs validate the meaning with their
// own zod schemas. Issues come back keyed by the verb's input path so each message sits beside its field.
import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, isAppError } from '../../errors/index.ts';

export type FormValues = Record<string, string | string[]>;

/** Every field of a urlencoded or multipart form, as trimmed strings (repeated names → arrays); files are ignored. */
export async function readForm(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true });
  const out: FormValues = {};
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string').map((v) => v.trim().slice(0, 4000));
    else if (typeof value === 'string') out[key] = value.trim().slice(0, 4000);
  }
  return out;
}

/** One value of a field ('' when absent; the first of repeated values). */
export function one(form: FormValues, key: string): string {
  const v = form[key];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/** All values of a repeated field (checkboxes). */
export function all(form: FormValues, key: string): string[] {
  const v = form[key];
  return Array.isArray(v) ? v : v ? [v] : [];
}

export interface Issue {
  path: string;
  message: string;
}

/** The issues of a VALIDATION_FAILED error, or null for any other error (which the caller rethrows). */
export function issuesOf(err: unknown): Issue[] | null {
  if (!isAppError(err) || err.code !== 'VALIDATION_FAILED') return null;
  const issues = (err.details as { issues?: Issue[] } | undefined)?.issues;
  return Array.isArray(issues) && issues.length > 0 ? issues : [{ path: '', message: err.message }];
}

/** A page's query, parsed with `schema`; a bad value is BAD_REQUEST naming the parameter (as the JSON API does). */
export function parseQuery<S extends z.ZodType>(schema: S, c: Context): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const parameter = issue?.path.map(String).join('.') ?? '';
  throw new AppError('BAD_REQUEST', `invalid query parameter ${parameter}: ${issue?.message ?? 'invalid'}`, { details: { parameter } });
}
