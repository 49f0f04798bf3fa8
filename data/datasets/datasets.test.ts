import { describe, expect, it } from 'vitest';
import type { FieldDefinition, Row } from '../../store/registry/types.ts';
import { FIELD_TYPES, GRADES, OPEN_TYPES, SENSITIVITIES, UPDATE_CYCLES } from '../../store/registry/types.ts';
import { isValidUscc } from '../checksums/uscc.ts';
import { parseDay } from '../calendar.ts';
import { county } from '../divisions.ts';
import { DATASETS, datasetCodes } from './index.ts';

function take(it: Iterable<Row>, n: number): Row[] {
  const out: Row[] = [];
  for (const row of it) {
    if (out.length >= n) break;
    out.push(row);
  }
  return out;
}

function typeProblem(field: FieldDefinition, value: unknown): string | undefined {
  if (value === null) return field.nullable ? undefined : 'null in a non-nullable field';
  switch (field.type) {
    case 'string':
      return typeof value === 'string' && value.length > 0 ? undefined : 'not a non-empty string';
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : 'not an integer';
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value) && Math.round(value * 100) / 100 === value ? undefined : 'not a 2-decimal number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'not a boolean';
    case 'date':
      return typeof value === 'string' && !Number.isNaN(parseDay(value)) ? undefined : 'not a YYYY-MM-DD date';
    case 'timestamp':
      return 'no dataset uses timestamps';
  }
}

describe.each(datasetCodes)('dataset %s', (code) => {
  const { definition, generate } = DATASETS[code];
  const rows = take(generate({ rows: 1000, seed: 'common' }), 1000);

  it('has a complete definition', () => {
    expect(definition.code).toBe(code);
    expect(definition.name).toMatch(/[\u4e00-\u9fff]/);
    expect(definition.department).toMatch(/[\u4e00-\u9fff]/);
    expect(isValidUscc(definition.departmentCode)).toBe(true);
    expect(UPDATE_CYCLES).toContain(definition.updateCycle);
    expect(GRADES).toContain(definition.grade);
    expect(OPEN_TYPES).toContain(definition.openType);
    const names = definition.fields.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of definition.fields) {
      expect(f.name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(FIELD_TYPES).toContain(f.type);
      expect(SENSITIVITIES).toContain(f.sensitivity);
      // Chinese and English, separated by " / ".
      expect(f.description).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
    }
  });

  it('produces exactly the requested rows, with the declared fields in order and types', () => {
    expect(rows).toHaveLength(1000);
    const names = definition.fields.map((f) => f.name);
    const problems: string[] = [];
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(names);
      for (const f of definition.fields) {
        const p = typeProblem(f, row[f.name]);
        if (p) problems.push(`${f.name}: ${p} (${JSON.stringify(row[f.name])})`);
      }
      const region = row.region_code;
      if (typeof region === 'string' && !county(region)) problems.push(`region_code ${region} is not a county`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect([...generate({ rows: 0, seed: 'common' })]).toEqual([]);
  });

  it('is deterministic: same seed same rows, other seed other rows, shorter run is a prefix', () => {
    expect(take(generate({ rows: 1000, seed: 'common' }), 1000)).toEqual(rows);
    const other = take(generate({ rows: 1000, seed: 'other' }), 1000);
    const same = other.filter((r, i) => JSON.stringify(r) === JSON.stringify(rows[i])).length;
    expect(same).toBeLessThan(50);
    expect(take(generate({ rows: 300, seed: 'common' }), 1000)).toEqual(rows.slice(0, 300));
    expect(take(generate({ rows: 1000, seed: 42 }), 5)).toEqual(take(generate({ rows: 5, seed: '42' }), 5));
  });

  it('streams: the first rows of a 100-million-row run come at once', () => {
    const started = performance.now();
    expect(take(generate({ rows: 100_000_000, seed: 'common' }), 10)).toEqual(rows.slice(0, 10));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('rejects bad options', () => {
    expect(() => generate({ rows: -1, seed: 1 }).next()).toThrow(RangeError);
    expect(() => generate({ rows: 1.5, seed: 1 }).next()).toThrow(RangeError);
    expect(() => generate({ rows: 100_000_001, seed: 1 }).next()).toThrow(RangeError);
    expect(() => generate({ rows: 1, seed: '' }).next()).toThrow(RangeError);
  });
});
