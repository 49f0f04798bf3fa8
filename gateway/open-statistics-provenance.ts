// Where an open statistic comes from, for the people who want to check: the release that produced its current
// version, read back from the release record the disclosure control stored (job_results). The public summary says
// what the table is in plain words; this is the detail behind it (the portal shows it folded away).
import { eq } from 'drizzle-orm';
import { OPEN_STATISTICS } from '../sandbox/open-statistics/index.ts';
import { getDataset, schema, type Db } from '../store/index.ts';

const LOADED_BY = 'system:open-statistics/';

export interface ProvenanceCheck {
  check: string;
  outcome: string;
  /** the threshold of small_cells, the base of rounding: what a reader can act on */
  threshold?: number;
  base?: number;
}

export interface StatisticProvenance {
  releaseId: string;
  source: { code: string; name: string; version: number | null };
  /** when the checks ran (ISO 8601) */
  createdAt: string | null;
  codeHash: { sha256: string | null; sm3: string | null };
  policyVersion: string | null;
  checks: ProvenanceCheck[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The provenance of a dataset's current version when an open-statistics release loaded it; null for any other
 * dataset. The record is read defensively (its shape may gain fields): what is missing is shown as unknown.
 */
export async function statisticProvenance(db: Db, code: string): Promise<StatisticProvenance | null> {
  const spec = OPEN_STATISTICS[code];
  if (!spec) return null;
  const dataset = await getDataset(db, code).catch(() => null);
  const loadedBy = dataset?.currentVersion?.loadedBy ?? '';
  if (!loadedBy.startsWith(LOADED_BY)) return null;
  const releaseId = loadedBy.slice(LOADED_BY.length);
  const [row] = await db.select({ record: schema.jobResults.record }).from(schema.jobResults).where(eq(schema.jobResults.jobId, releaseId));
  const record = (row?.record ?? {}) as Record<string, unknown>;
  const hash = (record.codeHash ?? {}) as Record<string, unknown>;
  const versions = (record.dataVersions ?? {}) as Record<string, unknown>;
  const source = await getDataset(db, spec.source).catch(() => null);
  const checks = (Array.isArray(record.checks) ? record.checks : []).flatMap((c): ProvenanceCheck[] => {
    if (!c || typeof c !== 'object') return [];
    const { check, outcome, details } = c as Record<string, unknown>;
    if (typeof check !== 'string' || typeof outcome !== 'string') return [];
    const d = (details ?? {}) as Record<string, unknown>;
    const threshold = num(d.threshold);
    const base = num(d.base);
    return [{ check, outcome, ...(threshold === undefined ? {} : { threshold }), ...(base === undefined ? {} : { base }) }];
  });
  const version = Number(str(versions[spec.source]) ?? Number.NaN);
  return {
    releaseId,
    source: { code: spec.source, name: source?.name ?? spec.source, version: Number.isInteger(version) ? version : null },
    createdAt: str(record.createdAt),
    codeHash: { sha256: str(hash.sha256), sm3: str(hash.sm3) },
    policyVersion: str(record.policyVersion),
    checks,
  };
}
