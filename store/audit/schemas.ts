// Zod inputs of the audit log: staff's query string, and a checkpoint brought back from outside.
import { z } from 'zod';
import { AUDIT_ACTOR_TYPES, AUDIT_OUTCOMES } from './types.ts';

const text = z.string().trim().min(1).max(500);

/** `GET /security/audit` and `/export` query parameters. */
export const auditQuerySchema = z.object({
  actor: text.optional(),
  actorType: z.enum(AUDIT_ACTOR_TYPES).optional(),
  action: text.optional(),
  resource: text.optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  to: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, 'a sequence number from nextCursor').optional(),
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`), `${length} lowercase hex digits`);

/** An exported checkpoint (wire format, docs/audit.md). */
export const auditCheckpointSchema = z.strictObject({
  logId: z.string().min(1).max(100),
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  headHash: hex(64),
  at: z.iso.datetime(),
  alg: z.literal('SM2-SM3'),
  signature: hex(128),
  publicKey: z.string().regex(/^04[0-9a-f]{128}$/, 'an uncompressed SM2 public key in hex'),
});
