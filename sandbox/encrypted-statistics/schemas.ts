// Zod inputs of the encrypted-statistics verbs. Wire format of /encrypted-statistics/rounds (docs/encrypted-statistics.md).
import { z } from 'zod';
import { GRADE_LABELS } from '../../policies/index.ts';

const unique = (values: readonly string[]) => new Set(values).size === values.length;
const hex = z.string().regex(/^[0-9a-f]{1,4096}$/, 'lower-case hex');

/** every grade but core: core data needs a steward's review, which a decrypted total cannot wait for */
export const ROUND_GRADES = GRADE_LABELS.filter((g) => g !== 'core') as [Exclude<(typeof GRADE_LABELS)[number], 'core'>, ...Exclude<(typeof GRADE_LABELS)[number], 'core'>[]];

export const openRoundSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    /** departments invited to contribute (stewards of these departments) */
    departments: z.array(z.string().trim().min(1).max(100)).min(3).max(32).refine(unique, 'departments must be distinct'),
    /** contributions needed before the total may be decrypted; never below 3 */
    minDepartments: z.number().int().min(3).max(32).default(3),
    grade: z.enum(ROUND_GRADES).default('general-3'),
    cells: z.array(z.string().trim().min(1).max(100)).min(1).max(500).refine(unique, 'cell labels must be distinct'),
    sums: z
      .array(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'snake_case name'))
      .max(4)
      .default([])
      .refine(unique, 'sum names must be distinct')
      .refine((s) => !s.includes('count'), '"count" is the contributor count every round has'),
    valueBits: z.number().int().min(1).max(48).default(40),
    /** crypto/paillier public-key serialization (JSON text, format version 1) */
    publicKey: z.string().min(1).max(20_000),
  })
  .strict()
  .refine((r) => r.minDepartments <= r.departments.length, { message: 'minDepartments exceeds the invited departments', path: ['minDepartments'] });
export type OpenRoundInput = z.input<typeof openRoundSchema>;

/** The ciphertext envelope of crypto/paillier (serializeCiphertexts), as an object; the verb checks it in full. */
export const contributeSchema = z
  .object({
    ciphertexts: z.object({
      v: z.unknown(),
      scheme: z.unknown(),
      type: z.unknown(),
      key: z.unknown(),
      c: z.array(z.string().max(4100)).min(1).max(1000),
    }),
  })
  .strict();
export type ContributeInput = z.input<typeof contributeSchema>;

/** The custodian's answer to a decryption request: per masked ciphertext, its plaintext and its randomness r. */
export const decryptionSchema = z
  .object({
    plaintexts: z.array(hex).min(1).max(1000),
    randomness: z.array(hex).min(1).max(1000),
  })
  .strict();
export type DecryptionInput = z.input<typeof decryptionSchema>;

export const roundIdSchema = z.string().uuid();
