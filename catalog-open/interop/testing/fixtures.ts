// Test support: named catalog entries in the public shape, for the pure mapping tests.
import type { CatalogEntryView } from '../../catalog/types.ts';

const sha = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);

/** An unconditional dataset with every optional field filled and one loaded version. */
export function sampleEntry(overrides: Partial<CatalogEntryView> = {}): CatalogEntryView {
  return {
    code: 'enterprise_registry',
    resourceCode: '11330000-0001/000123',
    name: '企业登记信息',
    summary: '全省企业登记基本信息',
    description: '全省市场主体登记的基本信息，按月更新。',
    department: '省市场监督管理局',
    departmentCode: '11330000002482123X',
    theme: '市场监管',
    keywords: ['企业', '登记'],
    openType: 'unconditional',
    grade: 'general',
    updateCycle: 'monthly',
    formats: ['csv', 'json'],
    modified: '2026-11-01T08:00:00.000Z',
    issued: '2025-01-15T00:00:00.000Z',
    qualityScore: 90,
    described: true,
    classification: { category: '经济' },
    openConditions: null,
    shareType: 'unconditional',
    license: 'CC-BY-4.0',
    nextUpdateDue: '2026-12-01',
    temporal: { start: '2020-01-01', end: '2026-10-31' },
    spatial: '330000',
    containsPersonalInfo: false,
    containsSensitivePersonalInfo: false,
    distributions: [
      { format: 'csv', mediaType: 'text/csv', downloadUrl: '/open/datasets/enterprise_registry/download?format=csv', byteSize: 2048, checksum: sha, rowCount: 10, version: 1 },
      { format: 'ndjson', mediaType: 'application/x-ndjson', downloadUrl: '/open/datasets/enterprise_registry/download?format=ndjson', byteSize: 2048, checksum: sha, rowCount: 10, version: 1 },
    ],
    fields: [{ name: 'name', type: 'string', description: '企业名称', masked: false }],
    withheldFields: 0,
    downloadable: true,
    versions: [{ version: 1, rowCount: 10, byteCount: 2048, checksum: sha, format: 'csv', loadedAt: '2026-11-01T08:00:00.000Z' }],
    quality: { score: 90, parts: { completeness: 40, timeliness: 25, openFormat: 15, workingDownloads: 10 }, missing: [], overdue: false },
    downloads: 3,
    feedback: { open: 0, resolved: 1 },
    ...overrides,
  };
}
