import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors/index.ts';
import { DEFAULT_RULES, defaultFor } from './defaults.ts';
import type { GradeLabel } from './grades.ts';
import { peoplePolicy } from './testing.ts';

/** The problems parsePolicySet reports for a PEOPLE policy with `fields` overridden; [] when valid. */
function problems(fields: Record<string, Record<string, unknown>>, top: Record<string, unknown> = {}): string[] {
  try {
    peoplePolicy(fields, top);
    return [];
  } catch (err) {
    if (!isAppError(err) || err.code !== 'POLICY_INVALID') throw err;
    return (err.details?.problems as Array<{ path: string; message: string }>).map((p) => `${p.path}: ${p.message}`);
  }
}

const justification = 'a reason long enough to be shown in the catalog';

describe('default rules derived from grade', () => {
  it('sandbox.core: core data is dropped by default, may be masked with a justification, never raw', () => {
    const core = { grade: 'core', pi: 'none' };
    const top = { grade: 'core' };
    expect(peoplePolicy({ note: core }, top).datasets.get('people')?.fields.get('note')?.uses.sandbox.rule).toEqual({ mask: 'drop' });
    expect(problems({ note: { ...core, sandbox: { mask: 'region', keep: 'province' } } }, top)[0]).toMatch(/weaker than the default.*justification/);
    expect(problems({ note: { ...core, sandbox: { mask: 'region', keep: 'province', justification } } }, top)).toEqual([]);
    expect(problems({ note: { ...core, sandbox: { mask: 'raw', justification } } }, top)[0]).toMatch(/refused whatever the justification.*sandbox\.core/);
  });

  it('sandbox.sensitive_personal: never raw, even with a justification', () => {
    expect(problems({ income: { grade: 'general-4', pi: 'sensitive_personal', sandbox: { mask: 'raw', justification } } })[0]).toMatch(
      /fields\.income\.sandbox: 'raw' is refused whatever the justification/,
    );
    expect(peoplePolicy({ income: { grade: 'general-4', pi: 'sensitive_personal' } }).datasets.get('people')?.fields.get('income')?.uses.sandbox.rule).toEqual({ mask: 'drop' });
  });

  it('sandbox.important_personal: personal data graded important is masked unless justified', () => {
    const f = { grade: 'important', pi: 'personal' };
    expect(problems({ name: { ...f, sandbox: { mask: 'raw' } } })[0]).toMatch(/weaker than the default/);
    expect(problems({ name: { ...f, sandbox: { mask: 'raw', justification } } })).toEqual([]);
    expect(problems({ name: { ...f, sandbox: { mask: 'name' } } })).toEqual([]);
  });

  it('open_download.core: core data never enters an open download', () => {
    expect(problems({ note: { grade: 'core', pi: 'none', open_download: { mask: 'region', keep: 'province', justification } } }, { grade: 'core' })[0]).toMatch(
      /refused whatever the justification.*open_download\.core/,
    );
  });

  it('open_download.important: left out, masked only with a justification, never raw', () => {
    const f = { grade: 'important', pi: 'none' };
    expect(problems({ note: { ...f, open_download: { mask: 'round', base: 10 } } })[0]).toMatch(/weaker than the default/);
    expect(problems({ note: { ...f, open_download: { mask: 'group', groups: { a: ['a'] }, other: 'b', justification } } })).toEqual([]);
    expect(problems({ note: { ...f, open_download: { mask: 'raw', justification } } })[0]).toMatch(/open_download\.important/);
  });

  it('open_download.sensitive_personal: left out, masked only with a justification, never raw', () => {
    const f = { grade: 'general-4', pi: 'sensitive_personal', sandbox: { mask: 'drop' } };
    expect(problems({ income: { ...f, open_download: { mask: 'round', base: 1000 } } })[0]).toMatch(/weaker than the default/);
    expect(problems({ income: { ...f, open_download: { mask: 'round', base: 1000, justification } } })).toEqual([]);
    expect(problems({ income: { ...f, open_download: { mask: 'raw', justification } } })[0]).toMatch(/refused/);
  });

  it('open_download.personal: left out unless justified (e.g. a legal duty to publish)', () => {
    const f = { grade: 'general-3', pi: 'personal' };
    expect(problems({ name: { ...f, open_download: { mask: 'name' } } })[0]).toMatch(/weaker than the default/);
    expect(problems({ name: { ...f, open_download: { mask: 'raw', justification } } })).toEqual([]);
  });

  it('open_download.general_4: published masked unless justified', () => {
    const f = { grade: 'general-4', pi: 'none' };
    expect(peoplePolicy({ note: f }).datasets.get('people')?.fields.get('note')?.uses.open_download.rule).toEqual({ mask: 'drop' });
    expect(problems({ note: { ...f, open_download: { mask: 'round', base: 10 } } })).toEqual([]);
    expect(problems({ note: { ...f, open_download: { mask: 'raw' } } })[0]).toMatch(/general_4/);
  });

  it('general data without personal information is delivered raw by default', () => {
    for (const g of ['general-1', 'general-2', 'general-3'] as GradeLabel[]) {
      expect(defaultFor(g, 'none', 'sandbox')).toEqual({ floor: 0, absolute: 0, rules: [] });
      expect(defaultFor(g, 'none', 'open_download')).toEqual({ floor: 0, absolute: 0, rules: [] });
    }
  });

  it('a justification is recorded on the field and reported as weakening the default', () => {
    const set = peoplePolicy({ name: { grade: 'general-3', pi: 'personal', open_download: { mask: 'raw', justification } } });
    const use = set.datasets.get('people')?.fields.get('name')?.uses.open_download;
    expect(use).toMatchObject({ weakensDefault: true, justification, declared: true, defaultRules: ['open_download.personal'] });
  });

  it('every default rule has a test above', () => {
    expect(DEFAULT_RULES.map((r) => r.id)).toEqual([
      'sandbox.core',
      'sandbox.sensitive_personal',
      'sandbox.important_personal',
      'open_download.core',
      'open_download.important',
      'open_download.sensitive_personal',
      'open_download.personal',
      'open_download.general_4',
    ]);
  });
});

describe('classification rules', () => {
  it('sensitive personal information is at least general-4, personal information at least general-2', () => {
    expect(problems({ income: { grade: 'general-3', pi: 'sensitive_personal', sandbox: { mask: 'round', base: 1000 } } })[0]).toMatch(/general-4 or higher/);
    expect(problems({ sex: { grade: 'general-1', pi: 'personal' } })[0]).toMatch(/general-2 or higher/);
  });

  it('no field is graded above its dataset', () => {
    expect(problems({ note: { grade: 'core', pi: 'none', sandbox: { mask: 'drop' } } })[0]).toMatch(/above its dataset/);
  });

  it('the schema refuses unknown keys, unknown masks and bad parameters', () => {
    expect(problems({ sex: { grade: 'general-2', pi: 'personal', sandbox: { mask: 'shuffle' } } })[0]).toMatch(/fields\.sex\.sandbox\.mask/);
    expect(problems({ sex: { grade: 'general-2', pi: 'personal', colour: 'red' } })[0]).toMatch(/Unrecognized key/);
    expect(problems({ income: { grade: 'general-4', pi: 'sensitive_personal', sandbox: { mask: 'bucket', edges: [10, 5] } } })[0]).toMatch(/ascending/);
    expect(problems({ sex: { grade: 'general-9', pi: 'personal' } })[0]).toMatch(/fields\.sex\.grade/);
  });
});
