// Open statistics end to end: the sandbox computes, checks and loads the statistic (sandbox/open-statistics), then
// the catalog entry is written here (catalog-open may not import the sandbox, nor the sandbox catalog-open), with a
// summary in plain words; the release record behind it is shown as provenance (open-statistics-provenance.ts).
// DEMO publishes both statistics once after the demo data is seeded.
import { isAppError } from '../errors/index.ts';
import { showCatalogEntry, upsertCatalogEntry, type CatalogEntryInput } from '../catalog-open/index.ts';
import type { PolicySet } from '../policies/index.ts';
import { loadPseudonymSecret } from '../sandbox/jobs/index.ts';
import { OPEN_STATISTICS, publishOpenStatistic, type PublishedStatistic } from '../sandbox/open-statistics/index.ts';
import { getDataset } from '../store/index.ts';
import { systemContext } from './authorization.ts';
import { pseudonymSecretEnv, type Config } from './config.ts';
import type { Services } from './context.ts';

/** What each statistic is, in words a member of the public uses, and what it counts. */
const PLAIN: Record<string, { what: string; counted: string }> = {
  residents_by_district_age: { what: '全省各地市（省外按省份）分年龄段的户籍人口数和人均年收入', counted: '人' },
  enterprises_by_industry_year: { what: '按行业和成立年份统计的企业等法人单位数量，以及其中仍在经营的比例', counted: '家单位' },
};

/**
 * The public summary: what the table is and how privacy was protected, in plain words. The release id, code hashes,
 * policy version and check names are provenance, shown apart (they mean nothing to most readers).
 */
export function plainSummary(published: Pick<PublishedStatistic, 'code' | 'record'>): string {
  const spec = OPEN_STATISTICS[published.code]!;
  const plain = PLAIN[published.code] ?? { what: spec.name, counted: '个' };
  const details = (name: string) => published.record.checks.find((c) => c.check === name)?.details as { threshold?: number; base?: number } | undefined;
  const threshold = details('small_cells')?.threshold;
  const base = details('rounding')?.base;
  const protect = threshold
    ? `为保护个人隐私，人数太少（不足${threshold}${plain.counted}）的格子不公布，能由合计推算出它们的格子也不公布，这些格子留空`
    : '为保护个人隐私，可能识别到个人的格子不公布，这些格子留空';
  const rounded = base && base > 1 ? `；数量取整到${base}的倍数，所以各项相加可能与合计略有出入` : '';
  // under differential privacy every value carries calibrated noise, and its 95 % interval is published beside it
  const noised = published.record.checks.some((c) => c.check === 'dp_noise' && c.outcome === 'applied')
    ? '每个数值都加入了经过计算的少量随机误差（差分隐私），并附有95%区间，表示真实值所在的范围。'
    : '';
  return `${plain.what}。${protect}${rounded}。${noised}数据由平台按统一规则从政务数据中汇总生成，原始数据不出平台。`;
}

/** The catalog entry of a published statistic. */
function catalogEntry(published: PublishedStatistic): CatalogEntryInput {
  const spec = OPEN_STATISTICS[published.code]!;
  const summary = plainSummary(published);
  return {
    resourceCode: `${published.definition.departmentCode}/stat-${spec.code.replace(/_/g, '-')}`,
    summary,
    classification: { category: spec.catalog.category, item: spec.catalog.item, section: '统计汇总' },
    theme: spec.catalog.theme,
    keywords: [...spec.catalog.keywords],
    shareType: 'unconditional',
    license: 'CC-BY-4.0',
    spatial: '330000',
  };
}

export interface PublishStatisticsOptions {
  policies: PolicySet;
  pseudonymSecret: Uint8Array;
}

/**
 * Publishes one statistic and, when a new version was loaded (or it has no entry yet), writes its catalog entry.
 * Throws as publishOpenStatistic and upsertCatalogEntry do.
 */
export async function publishStatistic(services: Services, options: PublishStatisticsOptions, code: string): Promise<PublishedStatistic> {
  const ctx = systemContext(services, 'open-statistics');
  const published = await publishOpenStatistic(ctx, options, code);
  // an unchanged release keeps its entry (a steward's edits survive), unless the entry still holds the machine
  // summary earlier versions wrote (release ids and hashes in the public text), which no steward would have typed
  const stale = published.status === 'unchanged' && /发布记录 open-statistic:/.test((await showCatalogEntry(services.database, options.policies, code).catch(() => null))?.summary ?? '');
  if (published.status === 'published' || stale) await upsertCatalogEntry(ctx, options.policies, code, catalogEntry(published));
  return published;
}

/** DEMO: both statistics, skipping any whose source is not loaded. One line per statistic for the log. */
export async function seedDemoOpenStatistics(
  services: Services,
  config: Pick<Config, 'dataDir' | 'pseudonymSecretHex' | 'databaseUrl'>,
): Promise<{ code: string; status: string; version?: number; suppressedRows?: number }[]> {
  // the workers' secret (sandbox/worker.ts reads it the same way): contributors fingerprint alike in the ledger
  const options = { policies: services.policies, pseudonymSecret: await loadPseudonymSecret(pseudonymSecretEnv(config), config.dataDir) };
  const out = [];
  for (const spec of Object.values(OPEN_STATISTICS)) {
    const source = await getDataset(services.database.db, spec.source).catch(() => null);
    if (!source?.currentVersion) {
      out.push({ code: spec.code, status: 'source_not_loaded' });
      continue;
    }
    try {
      const p = await publishStatistic(services, options, spec.code);
      out.push({ code: p.code, status: p.status, version: p.version, suppressedRows: p.suppressedRows });
    } catch (err) {
      // a statistic the disclosure control refuses is not published; the demo goes on without it
      if (!isAppError(err) || err.code !== 'RELEASE_REFUSED') throw err;
      out.push({ code: spec.code, status: 'refused' });
    }
  }
  return out;
}
