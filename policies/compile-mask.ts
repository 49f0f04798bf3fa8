// Turns one masking rule into a function of one value, once per masker: parameters are bound, tables built, and
// the key schedule of the pseudonym precomputed, so the per-value work is only the mask itself.

import type { FieldValue } from '../store/index.ts';
import type { MaskRule } from './mask-rules.ts';
import { maskAddress } from './masks/address.ts';
import { maskBankCard, maskUscc } from './masks/codes.ts';
import { maskEmail, maskMobile } from './masks/contact.ts';
import {
  birthDateToAgeBand,
  bucketer,
  generalizeDateToMonth,
  generalizeDateToYear,
  grouper,
  maskRegion,
  parseAsOf,
  roundTo,
} from './masks/generalize.ts';
import { maskName } from './masks/name.ts';
import { maskResidentId } from './masks/resident-id.ts';
import type { Pseudonymizer } from './pseudonym.ts';

/** Masks one non-null value. */
export type ValueMask = (value: string | number | boolean) => FieldValue;

export interface MaskContext {
  /** the licence's (or release's) pseudonymizer; needed by `pseudonym` rules */
  readonly pseudonymize: Pseudonymizer | undefined;
  /** the day ages are computed on (`YYYY-MM-DD`); needed by `age_band` rules */
  readonly asOf: string | undefined;
}

const text = (v: string | number | boolean): string => (typeof v === 'string' ? v : String(v));

/**
 * Remembers the last value and its mask. Registers come sorted by household or person (household members share an
 * address and a 户号; a person's monthly records follow each other), so the costly masks often see the same value
 * twice in a row; a miss costs one string comparison.
 */
function lastValueMemo(mask: (v: string) => FieldValue): ValueMask {
  let lastIn: string | undefined;
  let lastOut: FieldValue = null;
  return (v) => {
    const s = text(v);
    if (s !== lastIn) {
      lastOut = mask(s);
      lastIn = s;
    }
    return lastOut;
  };
}
const num = (v: string | number | boolean): number => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN);

/**
 * The value function of a rule: `null` for `raw` (copy the value) and `drop` (leave the field out: the caller
 * tells them apart by the rule). Throws TypeError when the context lacks what the rule needs.
 */
export function compileMask(rule: MaskRule, ctx: MaskContext): ValueMask | null {
  switch (rule.mask) {
    case 'raw':
    case 'drop':
      return null;
    case 'pseudonym': {
      const p = ctx.pseudonymize;
      if (!p) throw new TypeError('a pseudonym rule needs a pseudonym key (one per licence)');
      return lastValueMemo(p);
    }
    case 'resident_id':
      return (v) => maskResidentId(text(v));
    case 'mobile':
      return (v) => maskMobile(text(v));
    case 'name':
      return (v) => maskName(text(v));
    case 'address': {
      const keep = rule.keep;
      return lastValueMemo((v) => maskAddress(v, keep));
    }
    case 'bank_card':
      return (v) => maskBankCard(text(v));
    case 'uscc':
      return (v) => maskUscc(text(v));
    case 'email':
      return (v) => maskEmail(text(v));
    case 'date':
      return rule.keep === 'year' ? (v) => generalizeDateToYear(text(v)) : (v) => generalizeDateToMonth(text(v));
    case 'age_band': {
      if (ctx.asOf === undefined) throw new TypeError('an age_band rule needs the asOf day');
      const asOf = parseAsOf(ctx.asOf);
      const width = rule.width;
      return (v) => birthDateToAgeBand(text(v), asOf, width);
    }
    case 'region': {
      const keep = rule.keep;
      return lastValueMemo((v) => maskRegion(v, keep));
    }
    case 'round': {
      const base = rule.base;
      return (v) => roundTo(num(v), base);
    }
    case 'bucket': {
      const bucket = bucketer(rule.edges);
      return (v) => bucket(num(v));
    }
    case 'group': {
      const group = grouper(rule.groups, rule.other);
      return (v) => group(text(v));
    }
  }
}
