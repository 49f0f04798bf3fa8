// Zod inputs of the alert verbs. Wire format of GET /security/alerts and POST /security/alerts/{id}/ack (API.md).
import { z } from 'zod';
import { ALERT_KINDS, ALERT_SEVERITIES, ALERT_STATUSES } from './schema.ts';

export const alertQuerySchema = z.object({
  status: z.enum(ALERT_STATUSES).optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  operator: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type AlertQuery = z.infer<typeof alertQuerySchema>;

export const ackAlertSchema = z
  .object({
    note: z.string().trim().min(1).max(2000),
    /** default acknowledged; resolved closes the alert */
    status: z.enum(['acknowledged', 'resolved']).default('acknowledged'),
    /** also suspend the alert's operator (security staff keep the whitelist too) */
    suspendOperator: z.boolean().default(false),
  })
  .strict();
export type AckAlertInput = z.input<typeof ackAlertSchema>;
