// Generalizing masks: dates to year or month, birth dates to age bands, region codes to city or province, money
// rounded or bucketed, categories grouped. Each keeps a coarser version of the value, never a finer one.

import { generalizeRegion } from '../regions.ts';

function digitsAt(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Year of a `YYYY-MM-DD` date or timestamp (also `YYYY-MM`, `YYYY`), or null when it does not start with one. */
export function yearOf(date: string): number | null {
  if (date.length !== 4 && !(date.length >= 7 && date.charCodeAt(4) === 45)) return null;
  const y = digitsAt(date, 0, 4);
  return y < 0 ? null : y;
}

/** `2024-03-15` → 2024 (a number). Unparseable values become null. */
export function generalizeDateToYear(date: string): number | null {
  return yearOf(date);
}

/** `2024-03-15` → `2024-03`. Unparseable values become null. */
export function generalizeDateToMonth(date: string): string | null {
  if (date.length < 7 || date.charCodeAt(4) !== 45) return null;
  const y = digitsAt(date, 0, 4);
  const m = digitsAt(date, 5, 2);
  return y < 0 || m < 1 || m > 12 ? null : date.slice(0, 7);
}

/** Oldest band: ages from 90 on share one label, so the very old (few, easy to single out) are not told apart. */
export const AGE_TOP_CODE = 90;

/** Age band label of an age: width 5 → `30-34`, width 10 → `30-39`, 90 and over → `90+`. */
export function ageBand(age: number, width: 5 | 10 | 20): string {
  if (age >= AGE_TOP_CODE) return `${width === 20 ? 80 : AGE_TOP_CODE}+`;
  if (width === 20 && age >= 80) return '80+';
  const low = Math.floor(Math.max(0, age) / width) * width;
  return `${low}-${low + width - 1}`;
}

/**
 * Age band of a date of birth on the day `asOf` (`YYYY-MM-DD`): `1990-06-01` on `2024-05-31`, width 10 → `30-39`.
 * Unparseable dates become null.
 */
export function birthDateToAgeBand(birthDate: string, asOf: { year: number; monthDay: number }, width: 5 | 10): string | null {
  if (birthDate.length < 10 || birthDate.charCodeAt(4) !== 45 || birthDate.charCodeAt(7) !== 45) return null;
  const y = digitsAt(birthDate, 0, 4);
  const m = digitsAt(birthDate, 5, 2);
  const d = digitsAt(birthDate, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const age = asOf.year - y - (m * 100 + d > asOf.monthDay ? 1 : 0);
  return age < 0 ? null : ageBand(age, width);
}

/** Parses the `asOf` day of age bands. Throws TypeError for anything but a `YYYY-MM-DD` date. */
export function parseAsOf(asOf: string): { year: number; monthDay: number } {
  const y = digitsAt(asOf, 0, 4);
  const m = digitsAt(asOf, 5, 2);
  const d = digitsAt(asOf, 8, 2);
  if (asOf.length !== 10 || y < 0 || m < 1 || m > 12 || d < 1 || d > 31) throw new TypeError('asOf must be a YYYY-MM-DD date');
  return { year: y, monthDay: m * 100 + d };
}

/** Region code → city or province code using the real division data (see regions.ts); unknown codes become `*`. */
export function maskRegion(code: string, keep: 'city' | 'province'): string {
  return generalizeRegion(code, keep);
}

/**
 * Rounds to the nearest multiple of `base` (half away from zero): 12,345.67 to 1,000 → 12,000. Results are
 * cleaned of binary noise to the decimals of `base` (0.1 → one decimal). Non-finite values become null.
 */
export function roundTo(value: number, base: number): number | null {
  if (!Number.isFinite(value)) return null;
  const decimals = Number.isInteger(base) ? 0 : Math.min(10, (String(base).split('.')[1] ?? '').length);
  const f = 10 ** decimals;
  const step = Math.round(base * f);
  // Work in units of the base's last decimal, cleaned of binary noise (0.35 / 0.1 is 3.4999999999999996).
  const abs = Math.abs(value) * f;
  const units = abs < 1e12 ? Math.round(abs * 1000) / 1000 : abs;
  const r = (Math.sign(value) * Math.round(units / step) * step) / f;
  return r + 0; // no -0
}

/** A compiled bucketing: labels `<e0`, `[e0,e1)`, ..., `≥en` for ascending edges. */
export function bucketer(edges: readonly number[]): (value: number) => string | null {
  const labels = [`<${edges[0]}`];
  for (let i = 0; i + 1 < edges.length; i++) labels.push(`[${edges[i]},${edges[i + 1]})`);
  labels.push(`≥${edges[edges.length - 1]}`);
  return (value: number) => {
    if (Number.isNaN(value)) return null;
    let i = 0;
    while (i < edges.length && value >= (edges[i] as number)) i++;
    return labels[i] as string;
  };
}

/** A compiled grouping: each listed value to its group's label, any other value to `other`. */
export function grouper(groups: Readonly<Record<string, readonly string[]>>, other: string): (value: string) => string {
  const map = new Map<string, string>();
  for (const [label, values] of Object.entries(groups)) for (const v of values) map.set(v, label);
  return (value: string) => map.get(value) ?? other;
}
