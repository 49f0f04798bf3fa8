// Schemas shared by routes: problem+json, list pages.
import { z } from '@hono/zod-openapi';

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  requestId: z.string().optional(),
});

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export const bearerSecurity = [{ bearerAuth: [] }];

export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: 'problem', content: { 'application/problem+json': { schema: problemSchema } } }]),
  );
}
