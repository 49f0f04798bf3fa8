// Open statistics end to end: the sandbox computes, checks and loads the statistic (sandbox/open-statistics), then
// the catalog entry is written here (catalog-open may not import the sandbox, nor the sandbox catalog-open), with a
// summary naming the release record. DEMO publishes both statistics once after the demo data is seeded.
import { isAppError } from '../errors/index.ts';
import { upsertCatalogEntry, type CatalogEntryInput } from '../catalog-open/index.ts';
import type { PolicySet } from '../policies/index.ts';
import { loadPseudonymSecret } from '../sandbox/jobs/index.ts';
import { OPEN_STATISTICS, publishOpenStatistic, type PublishedStatistic } from '../sandbox/open-statistics/index.ts';
import { getDataset } from '../store/index.ts';
import { systemContext } from './authorization.ts';
import { pseudonymSecretEnv, type Config } from './config.ts';
import type { Services } from './context.ts';

/** The catalog entry of a published statistic: says how it was produced and names the release record. */
function catalogEntry(published: PublishedStatistic): CatalogEntryInput {
  const spec = OPEN_STATISTICS[published.code]!;
  const { record } = published;
  const rules = record.checks.find((c) => c.check === 'small_cells')?.details as { threshold?: number } | undefined;
  const rounding = record.checks.find((c) => c.check === 'rounding')?.details as { base?: number } | undefined;
  const applied = record.checks.filter((c) => c.outcome === 'applied').map((c) => c.check);
  const summary =
    `${spec.description}本数据由平台从${published.source.code}第${published.source.version}版经输出审查（与沙箱作业输出相同的处理）生成` +
    `${rules?.threshold ? `：少于${rules.threshold}人（单位）的单元格及可由合计推算的单元格已抑制` : ''}` +
    `${rounding?.base && rounding.base > 1 ? `，计数取整到${rounding.base}的倍数` : ''}。` +
    `发布记录 ${published.releaseId}；代码哈希 sha256:${record.codeHash.sha256.slice(0, 16)}、sm3:${record.codeHash.sm3.slice(0, 16)}；` +
    `策略版本 ${record.policyVersion}；已执行检查：${record.checks.map((c) => c.check).join('、')}` +
    `${applied.length ? `（生效：${applied.join('、')}）` : ''}。`;
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
  // an unchanged release keeps its entry (a steward's edits survive); a new one re-names its release record
  if (published.status === 'published') await upsertCatalogEntry(ctx, options.policies, code, catalogEntry(published));
  return published;
}

/** DEMO: both statistics, skipping any whose source is not loaded. One line per statistic for the log. */
export async function seedDemoOpenStatistics(
  services: Services,
  config: Pick<Config, 'dataDir' | 'pseudonymSecretHex' | 'databaseUrl'>,
): Promise<{ code: string; status: string; version?: number; suppressedRows?: number }[]> {
  // the worker's secret (in-process-worker.ts reads it the same way): contributors fingerprint alike in the ledger
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
