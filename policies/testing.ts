// Test fixtures: a small made-up dataset ("people") with its definition and a policy document builder, so tests
// can state only the part of a policy they are about.

import type { DatasetDefinition, FieldDefinition } from '../store/index.ts';
import { parsePolicySet } from './load-policies.ts';
import type { PolicySet } from './policy-set.ts';

const field = (name: string, type: FieldDefinition['type'], sensitivity: FieldDefinition['sensitivity']): FieldDefinition => ({
  name,
  type,
  sensitivity,
  nullable: true,
  description: name,
});

/** A made-up person-level dataset of grade `important`, one field per kind of value the masks handle. */
export const PEOPLE: DatasetDefinition = {
  code: 'people',
  name: 'people',
  description: 'test fixture',
  department: 'test',
  departmentCode: '11330000002482162X',
  sourceSystem: 'test',
  updateCycle: 'daily',
  grade: 'important',
  openType: 'conditional',
  fields: [
    field('id', 'string', 'sensitive_personal'),
    field('name', 'string', 'personal'),
    field('sex', 'string', 'personal'),
    field('birth_date', 'date', 'personal'),
    field('region_code', 'string', 'personal'),
    field('income', 'decimal', 'sensitive_personal'),
    field('note', 'string', 'none'),
  ],
};

/** The fields part of a valid policy for PEOPLE; tests override single fields. */
export function peopleFields(): Record<string, Record<string, unknown>> {
  return {
    id: { grade: 'important', pi: 'sensitive_personal', sandbox: { mask: 'pseudonym' } },
    name: { grade: 'general-3', pi: 'personal', sandbox: { mask: 'name' } },
    sex: { grade: 'general-2', pi: 'personal' },
    birth_date: { grade: 'general-3', pi: 'personal', sandbox: { mask: 'date', keep: 'year' } },
    region_code: { grade: 'general-3', pi: 'personal' },
    income: { grade: 'general-4', pi: 'sensitive_personal', sandbox: { mask: 'round', base: 1000 } },
    note: { grade: 'general-1', pi: 'none', sandbox: { mask: 'drop' }, open_download: { mask: 'drop' } },
  };
}

/** A policy document for PEOPLE with `fields` merged over the defaults and `top` over the top-level keys. */
export function peopleDocument(fields: Record<string, Record<string, unknown> | undefined> = {}, top: Record<string, unknown> = {}): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...peopleFields() };
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  return { dataset: 'people', grade: 'important', personLevel: true, ...top, fields: merged };
}

/** A validated policy set holding just the PEOPLE policy. Throws like parsePolicySet. */
export function peoplePolicy(fields: Record<string, Record<string, unknown> | undefined> = {}, top: Record<string, unknown> = {}): PolicySet {
  return parsePolicySet([{ source: 'people.json', content: peopleDocument(fields, top) }]);
}
