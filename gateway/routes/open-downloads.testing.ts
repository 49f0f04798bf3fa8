// Fixtures of the download route tests: a gateway with three small made-up datasets (unconditional with personal
// fields, conditional, not open), their download policies, and approved applications inserted as rows.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { parsePolicySet } from '../../policies/index.ts';
import { loadDataset, registerDataset, type DatasetDefinition, type FieldDefinition } from '../../store/index.ts';
import { createTestGateway, type TestGateway } from '../testing/test-gateway.ts';

const DEPARTMENT = { department: '市场监管局', departmentCode: '11330000002482162X', sourceSystem: 'test', updateCycle: 'daily' } as const;
const field = (name: string, type: FieldDefinition['type'], sensitivity: FieldDefinition['sensitivity'] = 'none'): FieldDefinition => ({
  name,
  type,
  sensitivity,
  nullable: true,
  description: name,
});
const WHY = 'test fixture: published by law in this made-up registry';

/** Unconditional: two personal fields published masked, one withheld (default drop), the rest raw. */
export const REGISTRY: DatasetDefinition = {
  code: 'test_registry',
  name: '测试登记信息',
  description: 'fixture',
  ...DEPARTMENT,
  grade: 'general',
  openType: 'unconditional',
  fields: [
    field('reg_no', 'string'),
    field('holder', 'string', 'personal'),
    field('mobile', 'string', 'personal'),
    field('secret_note', 'string', 'personal'),
    field('amount', 'decimal'),
    field('opened', 'date'),
    field('active', 'boolean'),
    field('district', 'string'),
  ],
};

export const PERMITS: DatasetDefinition = {
  code: 'test_permits',
  name: '测试许可',
  description: 'fixture',
  ...DEPARTMENT,
  grade: 'general',
  openType: 'conditional',
  fields: [field('permit_no', 'string'), field('holder', 'string', 'personal'), field('size', 'integer')],
};

export const CLOSED: DatasetDefinition = {
  code: 'test_closed',
  name: '不开放',
  description: 'fixture',
  ...DEPARTMENT,
  grade: 'general',
  openType: 'not_open',
  fields: [field('id', 'string')],
};

const POLICIES = [
  {
    dataset: 'test_registry',
    grade: 'general',
    personLevel: false,
    fields: {
      reg_no: { grade: 'general-1', pi: 'none' },
      holder: { grade: 'general-2', pi: 'personal', open_download: { mask: 'name', justification: WHY } },
      mobile: { grade: 'general-4', pi: 'personal', open_download: { mask: 'mobile', justification: WHY } },
      secret_note: { grade: 'general-3', pi: 'personal' },
      amount: { grade: 'general-1', pi: 'none' },
      opened: { grade: 'general-1', pi: 'none' },
      active: { grade: 'general-1', pi: 'none' },
      district: { grade: 'general-1', pi: 'none' },
    },
  },
  {
    dataset: 'test_permits',
    grade: 'general',
    personLevel: false,
    fields: {
      permit_no: { grade: 'general-1', pi: 'none' },
      holder: { grade: 'general-2', pi: 'personal', open_download: { mask: 'name', justification: WHY } },
      size: { grade: 'general-1', pi: 'none' },
    },
  },
  { dataset: 'test_closed', grade: 'general', personLevel: false, fields: { id: { grade: 'general-1', pi: 'none' } } },
];

const SURNAMES = ['张', '王', '李', '赵', '欧阳'];
const DISTRICTS = ['西湖区', '上城区', '滨江区'];

/** Row `i` of REGISTRY, as loaded (raw). */
export function registryRow(i: number) {
  return {
    reg_no: `R${String(i).padStart(6, '0')}`,
    holder: `${SURNAMES[i % SURNAMES.length]}测${i}名`,
    mobile: `139${String(10_000_000 + i).slice(-8)}`,
    secret_note: `SECRET-${i}-x`,
    amount: (i * 10.5).toFixed(1),
    opened: `2020-01-${String((i % 28) + 1).padStart(2, '0')}`,
    active: i % 2 === 0 ? 'true' : 'false',
    district: DISTRICTS[i % DISTRICTS.length]!,
  };
}

function csvOf(definition: DatasetDefinition, rows: Record<string, string>[]): string {
  const names = definition.fields.map((f) => f.name);
  return `${names.join(',')}\n${rows.map((r) => names.map((n) => r[n] ?? '').join(',')).join('\n')}\n`;
}

export interface DownloadGateway extends TestGateway {
  registryRows: number;
}

/** A test gateway with the fixture datasets loaded (`registryRows` rows of REGISTRY) and their policies in force. */
export async function createDownloadGateway(registryRows = 30): Promise<DownloadGateway> {
  const gw = await createTestGateway();
  gw.services.policies = parsePolicySet(POLICIES.map((content) => ({ source: `${content.dataset}.json`, content })));
  const database = gw.testDb.database;
  const load = async (definition: DatasetDefinition, csv: string) => {
    await registerDataset(database.db, definition);
    await loadDataset(database, { code: definition.code, format: 'csv', body: Readable.from([Buffer.from(csv)]), loadedBy: 'test' });
  };
  await load(REGISTRY, csvOf(REGISTRY, Array.from({ length: registryRows }, (_, i) => registryRow(i))));
  await load(
    PERMITS,
    csvOf(PERMITS, Array.from({ length: 5 }, (_, i) => ({ permit_no: `P${i}`, holder: `${SURNAMES[i]}持有${i}`, size: String(i * 100) }))),
  );
  await load(CLOSED, csvOf(CLOSED, [{ id: 'x1' }]));
  return { ...gw, registryRows };
}

/** Inserts an application row as the application flow would leave it; returns its id and status token. */
export async function insertApplication(
  gw: TestGateway,
  options: { datasetCode?: string; status?: 'pending' | 'approved' | 'rejected'; expiresAt?: Date | null; fields?: string[] } = {},
): Promise<{ id: string; token: string; headers: Record<string, string> }> {
  const id = `app_${randomBytes(6).toString('hex')}`;
  const token = randomBytes(32).toString('base64url');
  await gw.testDb.database.sql.query(
    `insert into applications (id, dataset_code, fields, department_code, applicant, purpose, duration_days, commitment_accepted_at,
       status_token_hash, status, decided_by, decided_at, expires_at)
     values ($1, $2, $3::jsonb, $4, $5::jsonb, 'research', 30, now(), $6, $7, 'steward', now(), $8)`,
    [
      id,
      options.datasetCode ?? PERMITS.code,
      JSON.stringify(options.fields ?? ['permit_no', 'holder', 'size']),
      DEPARTMENT.departmentCode,
      JSON.stringify({ type: 'person', name: 'Applicant', contact: { email: 'a@example.org' } }),
      createHash('sha256').update(token, 'utf8').digest('hex'),
      options.status ?? 'approved',
      options.expiresAt === undefined ? new Date(Date.now() + 86_400_000).toISOString() : options.expiresAt?.toISOString() ?? null,
    ],
  );
  return { id, token, headers: { 'x-application-id': id, 'x-status-token': token } };
}
