// Zod inputs of conditional-open applications (API.md "Public open data", "Stewards"): the edge of the verbs.
import { isIP } from 'node:net';
import { z } from 'zod';
import { isValidUscc } from '../../data/index.ts';

const code = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'a dataset code: lower-case letters, digits and _');
const fieldList = z.array(z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'a field name')).min(1).max(200);

/** An IPv4 or IPv6 CIDR block (a bare address is a single host), as the whitelist's licences hold them. */
const cidr = z.string().refine((value) => {
  const [address, prefix, ...rest] = value.split('/');
  const family = address ? isIP(address) : 0;
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}, 'must be an IPv4 or IPv6 address or CIDR block');

const contact = z.object({
  email: z.email(),
  phone: z.string().regex(/^\+?[0-9-]{7,20}$/, 'digits, optional + and -').optional(),
});

export const applicantSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('person'), name: z.string().trim().min(1).max(100), contact }),
  z.object({
    type: z.literal('organization'),
    name: z.string().trim().min(2).max(200),
    uscc: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isValidUscc, 'must be an 18-character unified social credit code with a valid check character (GB 32100)'),
    contact,
  }),
]);

/**
 * POST /open/applications. One dataset per application: either `dataset` + `fields`, or the API.md shape
 * `datasets: [{code, fields}]` with exactly one entry.
 */
export const submitApplicationSchema = z
  .object({
    applicant: applicantSchema,
    purpose: z.string().trim().min(10).max(2000),
    dataset: code.optional(),
    fields: fieldList.optional(),
    datasets: z.array(z.object({ code, fields: fieldList })).optional(),
    durationDays: z.number().int().min(1).max(365),
    acceptCommitment: z.literal(true, 'the security commitment must be accepted (acceptCommitment: true)'),
    access: z.enum(['download', 'sandbox']).default('download'),
    /** sandbox access: the addresses the operator's jobs will come from; default any IPv4 address */
    ipAllowlist: z.array(cidr).min(1).max(100).optional(),
  })
  .superRefine((a, ctx) => {
    const single = a.dataset !== undefined || a.fields !== undefined;
    if (a.datasets !== undefined && single) {
      ctx.addIssue({ code: 'custom', path: ['datasets'], message: 'give either dataset and fields, or datasets, not both' });
    } else if (a.datasets !== undefined) {
      if (a.datasets.length !== 1) {
        ctx.addIssue({ code: 'custom', path: ['datasets'], message: 'one dataset per application: submit one application for each dataset' });
      }
    } else {
      if (a.dataset === undefined) ctx.addIssue({ code: 'custom', path: ['dataset'], message: 'required: the code of the dataset applied for' });
      if (a.fields === undefined) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'required: the fields applied for' });
    }
    if (a.ipAllowlist !== undefined && a.access !== 'sandbox') {
      ctx.addIssue({ code: 'custom', path: ['ipAllowlist'], message: 'only for sandbox access' });
    }
  });

export type SubmitApplicationInput = z.infer<typeof submitApplicationSchema>;

/** POST /steward/applications/{id}/decision: a reason either way (it is shown to the applicant and audited). */
export const decisionSchema = z.object({
  approve: z.boolean(),
  reason: z.string().trim().min(2).max(1000),
});

export type DecisionInput = z.infer<typeof decisionSchema>;

export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
