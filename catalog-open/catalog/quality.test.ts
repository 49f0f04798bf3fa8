import { describe, expect, it } from 'vitest';
import type { CatalogRow } from './catalog-row.ts';
import { isOverdue, qualityScore } from './quality.ts';

const NOW = new Date('2026-06-15T12:00:00Z');

function row(overrides: Partial<CatalogRow> = {}): CatalogRow {
  return {
    code: 'x',
    name: '企业登记信息',
    description: '企业登记基本信息',
    department: '市场监督管理局',
    departmentCode: 'D1',
    updateCycle: 'monthly',
    grade: 'general',
    openType: 'unconditional',
    fields: [{ name: 'uscc', type: 'string', description: '统一社会信用代码', nullable: false, sensitivity: 'none' }],
    described: true,
    resourceCode: 'D1/000001',
    summary: '全省企业登记基本信息，包括企业名称、统一社会信用代码和成立日期。',
    theme: '市场监管',
    keywords: ['企业', '登记'],
    classification: { category: '市场监管' },
    openConditions: null,
    shareType: 'unconditional',
    license: 'CC-BY-4.0',
    nextUpdateDue: '2026-07-01',
    temporalStart: '2020-01-01',
    temporalEnd: null,
    spatial: '330000',
    issued: NOW,
    modified: NOW,
    modifiedKey: '',
    current: { version: 1, rowCount: 10, byteCount: 100, checksum: 'c', format: 'csv', loadedAt: new Date('2026-06-01T00:00:00Z') },
    hasFormats: true,
    ...overrides,
  };
}

describe('quality score', () => {
  it('gives full marks to complete, timely, downloadable metadata', () => {
    expect(qualityScore(row(), NOW)).toEqual({
      score: 100,
      parts: { completeness: 40, timeliness: 25, openFormat: 15, workingDownloads: 20 },
      missing: [],
      overdue: false,
    });
  });

  it('lowers completeness for each missing item and names it', () => {
    const q = qualityScore(row({ keywords: [], spatial: null, classification: null }), NOW);
    expect(q.missing).toEqual(['classification', 'keywords', 'spatial']);
    expect(q.parts.completeness).toBe(28);
  });

  it('asks conditional data for its open conditions', () => {
    expect(qualityScore(row({ openType: 'conditional' }), NOW).missing).toEqual(['openConditions']);
    expect(qualityScore(row({ openType: 'conditional', openConditions: '签署承诺书' }), NOW).missing).toEqual([]);
  });

  it('zeroes timeliness when the due date passed or the cycle ran out', () => {
    expect(isOverdue(row({ nextUpdateDue: '2026-06-14' }), NOW)).toBe(true);
    const stale = row({ nextUpdateDue: null, current: { ...row().current!, loadedAt: new Date('2026-04-01T00:00:00Z') } });
    expect(qualityScore(stale, NOW)).toMatchObject({ overdue: true, parts: { timeliness: 0 } });
    expect(qualityScore(row({ updateCycle: 'irregular', nextUpdateDue: null }), NOW).parts.timeliness).toBe(13);
  });

  it('gives no download marks without a current version or a download policy', () => {
    expect(qualityScore(row({ current: null, hasFormats: false }), NOW).parts).toMatchObject({ timeliness: 0, openFormat: 0, workingDownloads: 0 });
    expect(qualityScore(row({ current: { ...row().current!, rowCount: 0 } }), NOW).parts).toMatchObject({ openFormat: 15, workingDownloads: 0 });
  });
});
