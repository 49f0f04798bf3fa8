// Verbs check their input themselves (they are called from routes and from code): a bad one is a 422, never a 500.
import type { z } from 'zod';
import { AppError } from '../../errors/index.ts';

/** Throws VALIDATION_FAILED listing each issue's path and message (messages name rules, never the value). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AppError('VALIDATION_FAILED', message, {
    details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
  });
}
