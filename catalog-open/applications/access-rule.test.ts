import { describe, expect, it } from 'vitest';
import { DATASETS } from '../../data/index.ts';
import { requiredAccess } from './access-rule.ts';

const general = DATASETS.legal_persons.definition;
const population = DATASETS.population.definition;
const sensitive = population.fields.find((f) => f.sensitivity === 'sensitive_personal')!;
const plain = population.fields.find((f) => f.sensitivity !== 'sensitive_personal')!;

describe('requiredAccess', () => {
  it('grants what was asked for general data without sensitive fields', () => {
    expect(requiredAccess('download', general, ['name'])).toEqual({ access: 'download', forced: false });
    expect(requiredAccess('sandbox', general, ['name'])).toEqual({ access: 'sandbox', forced: false });
  });

  it('forces sandbox for important data and for sensitive personal fields', () => {
    expect(requiredAccess('download', { ...general, grade: 'important' }, ['name'])).toEqual({ access: 'sandbox', forced: true });
    expect(requiredAccess('download', { ...population, grade: 'general' }, [plain.name, sensitive.name])).toEqual({ access: 'sandbox', forced: true });
    expect(requiredAccess('download', { ...population, grade: 'general' }, [plain.name])).toEqual({ access: 'download', forced: false });
    expect(requiredAccess('sandbox', population, [plain.name])).toEqual({ access: 'sandbox', forced: false });
  });
});
