// Test fixtures: two departments with three small datasets (one open and loaded, one not_open, one conditional
// never loaded), and a valid draft body. Used by the priority-list tests in this folder and in gateway/routes.
import { Readable } from 'node:stream';
import { loadDataset, registerDataset, type Database, type DatasetDefinitionInput } from '../../store/index.ts';
import type { PriorityListItemInput } from './schemas.ts';

export const DEPT_A = { code: 'TEST-DEPT-A', name: '省甲局' } as const;
export const DEPT_B = { code: 'TEST-DEPT-B', name: '省乙局' } as const;

const definition = (code: string, dept: { code: string; name: string }, openType: 'unconditional' | 'conditional' | 'not_open'): DatasetDefinitionInput => ({
  code,
  name: `测试数据 ${code}`,
  description: 'fixture',
  department: dept.name,
  departmentCode: dept.code,
  sourceSystem: 'test',
  updateCycle: 'monthly',
  grade: 'general',
  openType,
  fields: [{ name: 'n', type: 'integer', description: 'a number', nullable: false, sensitivity: 'none' }],
});

/** open_a: unconditional, loaded; closed_a: not_open, loaded; cond_b: conditional, never loaded. */
export async function registerFixtureDatasets(database: Database): Promise<void> {
  for (const [code, dept, openType, load] of [
    ['open_a', DEPT_A, 'unconditional', true],
    ['closed_a', DEPT_A, 'not_open', true],
    ['cond_b', DEPT_B, 'conditional', false],
  ] as const) {
    await registerDataset(database.db, definition(code, dept, openType));
    if (load) await loadDataset(database, { code, format: 'csv', body: Readable.from([Buffer.from('n\n1\n2\n')]), loadedBy: 'test' });
  }
}

export const fixtureItem = (over: Partial<PriorityListItemInput> & Pick<PriorityListItemInput, 'name' | 'plannedDate'>): PriorityListItemInput => ({
  theme: '测试领域',
  summary: '摘要',
  openType: 'unconditional',
  accessMethods: ['download'],
  formats: ['CSV'],
  updateCycle: 'monthly',
  demandSource: '公众',
  ...over,
});
