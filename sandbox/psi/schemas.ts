// The body of POST /operator/psi. Sizes are checked again in the verb on distinct points (see PSI_LIMITS).
import { z } from 'zod';

/**
 * minList: fewer distinct identifiers than this are refused, so one request cannot cheaply test a single identity
 * (padding with random points only makes each probe cost a full run against the daily quota). maxList: keeps a
 * request under ~5 MB and one run's server work bounded.
 */
export const PSI_LIMITS = { minList: 10, maxList: 100_000 } as const;

const IDENTIFIER = /^[a-z][a-z0-9_]{0,47}$/;

export const psiRequestSchema = z
  .object({
    licenseId: z.string().min(1).max(100),
    dataset: z.string().regex(IDENTIFIER, 'a dataset code'),
    field: z.string().regex(IDENTIFIER, 'a field name'),
    blinded: z
      .array(z.string().max(64))
      .min(1)
      // a·H(x) per identifier: base64url of a 32-byte X25519 u-coordinate, in a random order
      .max(PSI_LIMITS.maxList, `at most ${PSI_LIMITS.maxList} identifiers per run`),
  })
  .strict();
export type PsiRequest = z.infer<typeof psiRequestSchema>;

export const psiResponseSchema = z
  .object({
    runId: z.string(),
    dataset: z.string(),
    field: z.string(),
    dataVersion: z.number().int(),
    hashVersion: z.string(),
    listSize: z.number().int(),
    serverSetSize: z.number().int(),
    /** b·A_i in the order received */
    blinded: z.array(z.string()),
    /** b·H(y_j) for every identifier of the field, shuffled */
    serverSet: z.array(z.string()),
  });
export type PsiResponse = z.infer<typeof psiResponseSchema>;
