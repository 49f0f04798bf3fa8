// Values for fields no generator knows (datasets registered by stewards): plausible by type alone, seeded.
// They carry nothing of the real data — not even its distributions — only the declared type and nullability.
import type { FieldDefinition, FieldValue } from '../../store/index.ts';

/** Share of missing values in a nullable field: generators' optional fields are missing at 5–30 %; one fixed rate. */
export const NULL_RATE = 0.12;
const DAY_MS = 86_400_000;
const FROM_DAY = Date.UTC(1950, 0, 1) / DAY_MS;
const TO_DAY = Date.UTC(2024, 11, 31) / DAY_MS;

/** A small deterministic generator (mulberry32) seeded from a string: the same seed gives the same rows. */
export function seededUniform(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `rows` values of `field`: strings from a handful of categories, skewed numbers, dates 1950–2024. */
export function valuesByType(field: FieldDefinition, rows: number, seed: string): FieldValue[] {
  const u = seededUniform(`${seed}\u0000${field.name}`);
  const out: FieldValue[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    if (field.nullable && u() < NULL_RATE) {
      out[i] = null;
      continue;
    }
    out[i] = draw(field, u);
  }
  return out;
}

function draw(field: FieldDefinition, u: () => number): FieldValue {
  switch (field.type) {
    case 'string':
      // a skewed choice among 8 categories, named after the field so a model author recognises the column
      return `${field.name}_${Math.min(7, Math.floor(-Math.log(1 - u()) * 2.5))}`;
    case 'integer':
      return Math.floor(-Math.log(1 - u()) * 20);
    case 'decimal':
      // log-normal around 5,000 with two decimals: amounts, incomes, costs
      return Math.round(Math.exp(8.5 + normal(u) * 0.8) * 100) / 100;
    case 'boolean':
      return u() < 0.5;
    case 'date':
      return new Date(Math.floor(FROM_DAY + u() * (TO_DAY - FROM_DAY)) * DAY_MS).toISOString().slice(0, 10);
    case 'timestamp':
      return new Date(Math.floor((FROM_DAY + u() * (TO_DAY - FROM_DAY)) * DAY_MS / 1000) * 1000).toISOString().replace('.000', '');
  }
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}
