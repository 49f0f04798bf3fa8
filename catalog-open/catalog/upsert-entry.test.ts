import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.ts';
import { loadPolicies } from '../../policies/index.ts';
import { createTestDatabase, registerDataset, type TestDatabase } from '../../store/index.ts';
import type { AuthorizationQuestion, VerbContext } from '../context.ts';
import { searchCatalog } from './search-catalog.ts';
import { upsertCatalogEntry } from './upsert-entry.ts';

let t: TestDatabase;
const policies = loadPolicies();
const asked: AuthorizationQuestion[] = [];

function ctx(allow: boolean): VerbContext {
  return {
    actor: { type: 'staff', id: 's1', username: 'steward', role: 'steward', department: '民政厅' },
    database: t.database,
    requestId: 'r1',
    ip: null,
    async authorize(question) {
      asked.push(question);
      if (!allow) throw new AppError('FORBIDDEN', 'denied');
    },
    async authorizeEach(questions) {
      return questions.map(() => allow);
    },
  };
}

const entry = { resourceCode: 'MZ/000001', summary: '社会组织登记信息，含名称、类型、登记机关和成立日期。', theme: '民政', keywords: ['社会组织', '年检报告'] };

beforeAll(async () => {
  t = await createTestDatabase();
  await registerDataset(t.database.db, {
    code: 'social_orgs',
    name: '社会组织名录',
    description: '全省社会组织',
    department: '民政厅',
    departmentCode: 'MZ',
    sourceSystem: '社会组织管理系统',
    updateCycle: 'monthly',
    grade: 'general',
    openType: 'unconditional',
    fields: [{ name: 'org_name', type: 'string', description: '组织名称' }],
  });
});
afterAll(() => t.drop());

describe('upsertCatalogEntry', () => {
  it('asks ManageDataset on the dataset and writes nothing when refused', async () => {
    await expect(upsertCatalogEntry(ctx(false), policies, 'social_orgs', entry)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(asked.at(-1)).toMatchObject({ action: 'ManageDataset' });
    expect(await t.database.sql.query('select 1 from catalog_entries')).toEqual([]);
  });

  it('creates, then replaces, keeping issued and making the entry searchable by its keywords', async () => {
    const first = await upsertCatalogEntry(ctx(true), policies, 'social_orgs', entry);
    expect(first).toMatchObject({ created: true, entry: { theme: '民政', keywords: ['社会组织', '年检报告'], described: true } });
    const second = await upsertCatalogEntry(ctx(true), policies, 'social_orgs', { ...entry, keywords: ['基金会'] });
    expect(second.created).toBe(false);
    expect(second.entry?.issued).toBe(first.entry?.issued);
    const found = await searchCatalog(t.database, policies, { q: '基金会', limit: 10 });
    expect(found.items.map((i) => i.code)).toEqual(['social_orgs']);
    expect((await searchCatalog(t.database, policies, { q: '年检报告', limit: 10 })).total).toBe(0);
    const audit = await t.database.sql.query<{ action: string; actor_id: string }>(
      `select action, actor_id from audit_log where action like 'catalog.%' order by seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(['catalog.entry.created', 'catalog.entry.updated']);
  });

  it('refuses an invalid body naming its fields, and an unknown dataset', async () => {
    await expect(upsertCatalogEntry(ctx(true), policies, 'social_orgs', { ...entry, temporal: { start: '2024-01-02', end: '2024-01-01' }, extra: 1 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: expect.arrayContaining([expect.objectContaining({ path: 'temporal.end' }), expect.objectContaining({ path: '' })]) },
    });
    await expect(upsertCatalogEntry(ctx(true), policies, 'nope', entry)).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
  });
});
