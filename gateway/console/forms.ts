// Reading console forms: every field as a trimmed string (or absent), checked afterwards by the API's own zod schemas.
import type { Context } from 'hono';
import { AppError } from '../../errors/index.ts';
import type { z } from 'zod';

export type FormFields = Record<string, string>;

export async function readForm(c: Context): Promise<FormFields> {
  const body = await c.req.parseBody({ all: true });
  const out: FormFields = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '_csrf') continue;
    const text = Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(',') : typeof value === 'string' ? value : '';
    out[key] = text.trim();
  }
  return out;
}

/** Splits "a, b\nc" into ["a","b","c"]. */
export function listOf(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,，]+/).filter(Boolean);
}

/** The same schema the API uses; a failure is a 422 naming the fields, shown on the error page. */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.map(String).join('.') || 'form'}: ${i.message}`);
    throw new AppError('VALIDATION_FAILED', issues.join('; '), { details: { issues } });
  }
  return result.data;
}
