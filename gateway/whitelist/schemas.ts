// Zod inputs of the whitelist routes (API.md "Security staff").
import { isIP } from 'node:net';
import { z } from 'zod';
import { isValidUscc } from '../../data/index.ts';
import { OPERATIONS } from '../../store/index.ts';

const reason = z.string().trim().min(2).max(500);

export const jwkSchema = z.record(z.string(), z.unknown());

export const registerOperatorSchema = z.object({
  name: z.string().trim().min(2).max(200),
  uscc: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidUscc, 'must be an 18-character unified social credit code with a valid check character (GB 32100)'),
  contact: z.object({
    name: z.string().trim().min(1).max(100),
    email: z.email(),
    phone: z.string().regex(/^\+?[0-9-]{7,20}$/, 'digits, optional + and -'),
  }),
  jwks: z.object({ keys: z.array(jwkSchema).min(1).max(5) }),
});

export const operatorStatusSchema = z.object({
  status: z.enum(['active', 'suspended', 'revoked']),
  reason,
});

export const addKeySchema = z.object({ jwk: jwkSchema });

/** An IPv4 or IPv6 CIDR (a bare address means a single host). */
export const cidrSchema = z.string().refine((value) => {
  const [address, prefix, ...rest] = value.split('/');
  const family = address ? isIP(address) : 0;
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}, 'must be an IPv4 or IPv6 address or CIDR block');

const fieldName = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/);

export const licensedDatasetSchema = z.object({
  code: fieldName,
  fields: z.array(fieldName).min(1).max(200),
  operations: z.array(z.enum(OPERATIONS)).min(1),
});

export const grantLicenseSchema = z
  .object({
    scenario: z.string().trim().min(2).max(500),
    datasets: z.array(licensedDatasetSchema).min(1).max(50),
    validFrom: z.iso.datetime({ offset: true }),
    validTo: z.iso.datetime({ offset: true }),
    ipAllowlist: z.array(cidrSchema).min(1).max(100),
    privacyBudget: z.object({ epsilon: z.number().positive().max(100) }),
    maxJobsPerDay: z.number().int().min(1).max(100_000),
  })
  .refine((l) => Date.parse(l.validTo) > Date.parse(l.validFrom), { message: 'validTo must be after validFrom', path: ['validTo'] });

export const changeLicenseSchema = z
  .object({
    status: z.enum(['active', 'suspended', 'revoked']).optional(),
    reason: reason.optional(),
    validTo: z.iso.datetime({ offset: true }).optional(),
    ipAllowlist: z.array(cidrSchema).min(1).max(100).optional(),
    maxJobsPerDay: z.number().int().min(1).max(100_000).optional(),
    privacyBudget: z.object({ epsilon: z.number().positive().max(100) }).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'nothing to change')
  .refine((p) => p.status === undefined || p.reason !== undefined, { message: 'a status change needs a reason', path: ['reason'] });

export type RegisterOperatorInput = z.infer<typeof registerOperatorSchema>;
export type GrantLicenseInput = z.infer<typeof grantLicenseSchema>;
export type ChangeLicenseInput = z.infer<typeof changeLicenseSchema>;
