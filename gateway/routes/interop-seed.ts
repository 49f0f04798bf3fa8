// Test support for the interop routes: a small public catalog through the real registry and the steward's route.
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { loadDataset, registerDataset } from '../../store/index.ts';
import { PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';

export const MARKET = { department: '市场监督管理局', departmentCode: '11330000002482160X' };
export const LABOUR = { department: '人力资源和社会保障厅', departmentCode: '11330000002481440Y' };

const field = (name: string, description: string) => ({ name, type: 'string', description, sensitivity: 'none' });

function definition(code: string, name: string, openType: string, dept: { department: string; departmentCode: string }, updateCycle = 'monthly') {
  return { code, name, description: `${name}的登记描述`, ...dept, sourceSystem: '业务系统', updateCycle, grade: 'general', openType, fields: [field('code', '编码'), field('title', '名称')] };
}

/**
 * Five datasets: two described (one unconditional, one conditional and realtime), one loaded with a download policy
 * but no catalog entry (listed with defaults), one whose name holds SQL/LIKE metacharacters, one not_open.
 */
export async function seedInteropCatalog(gw: TestGateway): Promise<void> {
  const steward = await gw.login('steward', PASSWORDS.steward);
  const db = gw.testDb.database.db;
  await registerDataset(db, definition('enterprise_registry', '企业登记信息', 'unconditional', MARKET));
  await registerDataset(db, definition('insured_units', '社会保险参保单位', 'conditional', LABOUR, 'realtime'));
  await registerDataset(db, definition('secret_registry', '企业内部核查名单', 'not_open', MARKET));
  await registerDataset(db, definition('pct_rates', '100%_达标率\\统计', 'unconditional', MARKET));
  await registerDataset(db, DATASETS.credit_dishonest.definition);
  await loadDataset(gw.testDb.database, { code: 'credit_dishonest', format: 'csv', body: generatedCsv('credit_dishonest', 20, 't'), loadedBy: 'test' });
  const entries: [string, Record<string, unknown>][] = [
    [
      'enterprise_registry',
      {
        resourceCode: '330000000000/00001',
        summary: '全省企业登记基本信息，包括企业名称、统一社会信用代码和成立日期。',
        theme: '市场监管',
        keywords: ['企业', '登记'],
        shareType: 'unconditional',
        temporal: { start: '2020-01-01', end: null },
        spatial: '330000',
      },
    ],
    ['insured_units', { resourceCode: '330000000000/00002', summary: '参保单位名录。', theme: '社会保障', keywords: ['社保'], temporal: { start: '2019-01-01', end: '2025-12-31' }, spatial: '浙江省' }],
  ];
  for (const [code, body] of entries) {
    const res = await gw.app.request(`/steward/datasets/${code}/catalog`, {
      method: 'PUT',
      headers: { ...steward, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`catalog entry for ${code}: ${res.status} ${await res.text()}`);
  }
}
