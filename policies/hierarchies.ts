// Generalization hierarchies for quasi-identifiers: each maps a value to ever coarser versions, level by level,
// up to `*` (suppressed). Used by the k-anonymity check of row-level releases.
//
// Every hierarchy is nested: two values equal at one level are equal at every coarser level, so generalizing
// never yields a finer value (property-tested in hierarchies.test.ts).

import { z } from 'zod';
import type { FieldValue } from '../store/index.ts';
import { ageBand, yearOf } from './masks/generalize.ts';
import { generalizeRegion } from './regions.ts';

export interface Hierarchy {
  /** level names, finest (0: the value as given) first, `*` last */
  readonly levels: readonly string[];
  /** the value at `level` (0 ≤ level < levels.length); null stays null at every level */
  generalize(value: FieldValue, level: number): FieldValue;
}

const widthsSchema = z
  .array(z.number().int().positive())
  .min(1)
  .max(6)
  .refine((w) => w.every((x, i) => i === 0 || x % (w[i - 1] as number) === 0), 'each width must be a multiple of the one before');

/** How policy files name a quasi-identifier's hierarchy. Wire format: policies/datasets/*.json. */
export const hierarchySpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('date') }),
  z.strictObject({ kind: z.literal('age') }),
  z.strictObject({ kind: z.literal('region') }),
  z.strictObject({ kind: z.literal('number'), widths: widthsSchema }),
  z.strictObject({
    kind: z.literal('category'),
    groups: z.record(z.string().min(1), z.array(z.string()).min(1)).optional(),
    other: z.string().min(1).optional(),
  }),
]);
export type HierarchySpec = z.infer<typeof hierarchySpecSchema>;

const STAR = '*';

/** Dates (`YYYY-MM-DD`, `YYYY-MM`, `YYYY` or a year number): day → month → year → 5 years → 10 years → *. */
export const dateHierarchy: Hierarchy = {
  levels: ['day', 'month', 'year', '5 years', '10 years', STAR],
  generalize(value, level) {
    if (value === null || level === 0) return value;
    if (level >= 5) return STAR;
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
    const y = Number.isInteger(value) ? (value as number) : yearOf(text);
    if (y === null || y < 0) return STAR;
    if (level === 1) {
      const m = text.length >= 7 ? Number(text.slice(5, 7)) : 0;
      return m >= 1 && m <= 12 ? text.slice(0, 7) : String(y);
    }
    if (level === 2) return String(y);
    const width = level === 3 ? 5 : 10;
    const low = Math.floor(y / width) * width;
    return `${low}-${low + width - 1}`;
  },
};

/** Reads an age band label (`30-34`, `30-39`, `90+`) back as its lowest age and width (Infinity for top codes). */
function parseBand(label: string): { low: number; width: number } | undefined {
  if (label.endsWith('+')) {
    const low = Number(label.slice(0, -1));
    return Number.isInteger(low) ? { low, width: Number.POSITIVE_INFINITY } : undefined;
  }
  const dash = label.indexOf('-');
  const low = Number(label.slice(0, dash));
  const high = Number(label.slice(dash + 1));
  return dash > 0 && Number.isInteger(low) && Number.isInteger(high) && high >= low ? { low, width: high - low + 1 } : undefined;
}

const AGE_WIDTHS = [1, 5, 10, 20] as const;

/** Ages (integers, or band labels from the `age_band` mask): age → 5 years → 10 years → 20 years → * (90+/80+ top-coded). */
export const ageHierarchy: Hierarchy = {
  levels: ['age', '5 years', '10 years', '20 years', STAR],
  generalize(value, level) {
    if (value === null || level === 0) return value;
    if (level >= 4) return STAR;
    const width = AGE_WIDTHS[level] as 5 | 10 | 20;
    if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? ageBand(value, width) : STAR;
    const band = typeof value === 'string' ? parseBand(value) : undefined;
    if (!band) return STAR;
    // A band is generalized to the narrowest aligned band, at least as wide as asked for, that contains all of it:
    // never finer than the input.
    if (band.width === Number.POSITIVE_INFINITY) return band.low >= 90 ? ageBand(band.low, width) : band.low >= 80 ? '80+' : STAR;
    const high = band.low + band.width - 1;
    for (const w of [5, 10, 20] as const) {
      if (w >= width && (Math.floor(band.low / w) === Math.floor(high / w) || band.low >= (w === 20 ? 80 : 90))) {
        return ageBand(band.low, w);
      }
    }
    return high >= 80 && band.low >= 80 ? '80+' : STAR;
  },
};

/** Division codes (9-digit street or 6-digit county, city, province): code as given → county → city → province → *. */
export const regionHierarchy: Hierarchy = {
  levels: ['code', 'county', 'city', 'province', STAR],
  generalize(value, level) {
    if (value === null || level === 0) return value;
    if (level >= 4 || typeof value !== 'string') return STAR;
    return generalizeRegion(value, level === 1 ? 'county' : level === 2 ? 'city' : 'province');
  },
};

/** Numbers in nested floor bands of the given widths: exact → [0,1000) → [0,10000) → ... → *. */
export function numberHierarchy(widths: readonly number[]): Hierarchy {
  return {
    levels: ['exact', ...widths.map((w) => `width ${w}`), STAR],
    generalize(value, level) {
      if (value === null || level === 0) return value;
      if (level > widths.length) return STAR;
      const x = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(x)) return STAR;
      const w = widths[level - 1] as number;
      const low = Math.floor(x / w) * w;
      return `[${low},${low + w})`;
    },
  };
}

/** Categories: value → (its group, if groups are given) → *. */
export function categoryHierarchy(groups?: Readonly<Record<string, readonly string[]>>, other = 'other'): Hierarchy {
  if (!groups) {
    return {
      levels: ['value', STAR],
      generalize: (value, level) => (value === null || level === 0 ? value : STAR),
    };
  }
  const map = new Map<string, string>();
  for (const [label, values] of Object.entries(groups)) for (const v of values) map.set(v, label);
  return {
    levels: ['value', 'group', STAR],
    generalize(value, level) {
      if (value === null || level === 0) return value;
      if (level >= 2) return STAR;
      return map.get(String(value)) ?? other;
    },
  };
}

export function buildHierarchy(spec: HierarchySpec): Hierarchy {
  switch (spec.kind) {
    case 'date':
      return dateHierarchy;
    case 'age':
      return ageHierarchy;
    case 'region':
      return regionHierarchy;
    case 'number':
      return numberHierarchy(spec.widths);
    case 'category':
      return categoryHierarchy(spec.groups, spec.other);
  }
}
