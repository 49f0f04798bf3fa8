// The masking rules a policy file can name for a field and a use, their strength, and the type each yields.
// Wire format: policy files (policies/datasets/*.json) rely on these `mask` names and parameters.

import { z } from 'zod';
import type { FieldType } from '../store/index.ts';

const justification = z.string().trim().min(10).max(1000).optional();

/** A short text shown in the catalog and audit when a rule delivers more than the grade's default allows. */
const base = { justification };

export const maskRuleSchema = z.discriminatedUnion('mask', [
  z.strictObject({ mask: z.literal('raw'), ...base }),
  z.strictObject({ mask: z.literal('drop'), ...base }),
  z.strictObject({ mask: z.literal('pseudonym'), ...base }),
  z.strictObject({ mask: z.literal('resident_id'), ...base }),
  z.strictObject({ mask: z.literal('mobile'), ...base }),
  z.strictObject({ mask: z.literal('name'), ...base }),
  z.strictObject({ mask: z.literal('address'), keep: z.enum(['district', 'street']), ...base }),
  z.strictObject({ mask: z.literal('bank_card'), ...base }),
  z.strictObject({ mask: z.literal('uscc'), ...base }),
  z.strictObject({ mask: z.literal('email'), ...base }),
  z.strictObject({ mask: z.literal('date'), keep: z.enum(['year', 'month']), ...base }),
  z.strictObject({ mask: z.literal('age_band'), width: z.union([z.literal(5), z.literal(10)]), ...base }),
  z.strictObject({ mask: z.literal('region'), keep: z.enum(['city', 'province']), ...base }),
  z.strictObject({ mask: z.literal('round'), base: z.number().positive().max(1e9), ...base }),
  z.strictObject({
    mask: z.literal('bucket'),
    edges: z
      .array(z.number().finite())
      .min(1)
      .max(100)
      .refine((e) => e.every((x, i) => i === 0 || x > (e[i - 1] as number)), 'edges must be strictly ascending'),
    ...base,
  }),
  z.strictObject({
    mask: z.literal('group'),
    groups: z.record(z.string().min(1).max(100), z.array(z.string()).min(1)),
    other: z.string().min(1).max(100),
    ...base,
  }),
]);

export type MaskRule = z.infer<typeof maskRuleSchema>;
export type MaskKind = MaskRule['mask'];

/**
 * How much of a value a rule lets through, for comparing a rule with the grade's default:
 * 0 raw, 1 partial (a masked or generalized value keeps part of it), 2 pseudonym (nothing of the value, but
 * linkable within one licence), 3 dropped.
 */
export type MaskStrength = 0 | 1 | 2 | 3;

export const STRENGTH_NAMES: Readonly<Record<MaskStrength, string>> = {
  0: 'raw',
  1: 'partially masked',
  2: 'pseudonymized',
  3: 'dropped',
};

export function maskStrength(rule: MaskRule): MaskStrength {
  switch (rule.mask) {
    case 'raw':
      return 0;
    case 'pseudonym':
      return 2;
    case 'drop':
      return 3;
    default:
      return 1;
  }
}

/** Input types each mask accepts; `pseudonym`, `raw` and `drop` accept any. */
const INPUT_TYPES: Readonly<Record<MaskKind, readonly FieldType[] | 'any'>> = {
  raw: 'any',
  drop: 'any',
  pseudonym: 'any',
  resident_id: ['string'],
  mobile: ['string'],
  name: ['string'],
  address: ['string'],
  bank_card: ['string'],
  uscc: ['string'],
  email: ['string'],
  date: ['date', 'timestamp', 'string'],
  age_band: ['date', 'string'],
  region: ['string'],
  round: ['integer', 'decimal'],
  bucket: ['integer', 'decimal'],
  group: ['string'],
};

export function maskAccepts(rule: MaskRule, type: FieldType): boolean {
  // Rounding keeps the column's type, so an integer column needs an integer base.
  if (rule.mask === 'round' && type === 'integer' && !Number.isInteger(rule.base)) return false;
  const accepted = INPUT_TYPES[rule.mask];
  return accepted === 'any' || accepted.includes(type);
}

/** Type of the value after masking; `undefined` when the field is dropped from the output. */
export function maskedType(rule: MaskRule, input: FieldType): FieldType | undefined {
  switch (rule.mask) {
    case 'raw':
    case 'round':
      return input;
    case 'drop':
      return undefined;
    case 'date':
      return rule.keep === 'year' ? 'integer' : 'string';
    default:
      return 'string';
  }
}

/** One line saying what the masked value keeps, for the masked schema, the catalog and the docs. */
export function describeMask(rule: MaskRule): string {
  switch (rule.mask) {
    case 'raw':
      return 'delivered as is';
    case 'drop':
      return 'not delivered';
    case 'pseudonym':
      return 'keyed SM3-HMAC pseudonym: joinable within one licence, unlinkable across licences';
    case 'resident_id':
      return 'keeps the 6-digit region and the birth year; month, day, sequence and check character are masked';
    case 'mobile':
      return 'keeps the first 3 and last 4 digits (138****5678)';
    case 'name':
      return 'keeps the surname, the given name becomes one *';
    case 'address':
      return rule.keep === 'district' ? 'truncated to the county-level district' : 'truncated to the township or street';
    case 'bank_card':
      return 'keeps the last 4 digits';
    case 'uscc':
      return 'keeps the registration authority, entity type and 6-digit region';
    case 'email':
      return 'keeps the first character of the local part and the domain';
    case 'date':
      return rule.keep === 'year' ? 'generalized to the year' : 'generalized to the month';
    case 'age_band':
      return `age in ${rule.width}-year bands (90+ top-coded), from the date of birth`;
    case 'region':
      return rule.keep === 'city' ? 'generalized to the prefecture-level city' : 'generalized to the province';
    case 'round':
      return `rounded to the nearest ${rule.base}`;
    case 'bucket':
      return `bucketed at ${rule.edges.join(', ')}`;
    case 'group':
      return `grouped into ${[...Object.keys(rule.groups), rule.other].join(' / ')}`;
  }
}
