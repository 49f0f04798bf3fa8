// GET /steward/priority-lists/demand: per dataset, what outside users asked of it — the evidence a steward weighs when
// drafting next year's list — and the ranked "most demanded, not yet open" view. One aggregate query, no N+1.
import { AppError } from '../../errors/index.ts';
import type { VerbContext } from '../context.ts';

export interface DemandSignal {
  datasetCode: string;
  name: string;
  department: string;
  departmentCode: string;
  openType: string;
  loaded: boolean;
  /** in the latest published version of some year's list */
  listed: boolean;
  applications: { approved: number; rejected: number; pending: number };
  jobs: { total: number; operators: number; fields: { field: string; jobs: number }[] };
  downloads: number;
  feedback: { total: number; open: number };
  score: number;
}

/**
 * Demand score (documented in docs/open-data.md): 3 per conditional-open application whatever its outcome (a refused
 * application is still a need), 2 per operator job that read the dataset, 1 per feedback item, plus log2(1 + downloads)
 * so bulk downloads count without drowning the rarer, costlier signals. Rounded to two decimals.
 */
export function demandScore(s: Pick<DemandSignal, 'applications' | 'jobs' | 'downloads' | 'feedback'>): number {
  const applications = s.applications.approved + s.applications.rejected + s.applications.pending;
  const raw = 3 * applications + 2 * s.jobs.total + s.feedback.total + Math.log2(1 + s.downloads);
  return Math.round(raw * 100) / 100;
}

// Every CTE aggregates one table once; the datasets table drives the join, so a dataset without signals shows zeros.
const DEMAND_SQL = `
with apps as (
  select dataset_code,
    count(*) filter (where status = 'approved')::int as approved,
    count(*) filter (where status = 'rejected')::int as rejected,
    count(*) filter (where status = 'pending')::int as pending
  from applications group by dataset_code
), job_datasets as (
  select j.id, j.operator_id, d->>'code' as code, d->'fields' as fields
  from jobs j cross join lateral jsonb_array_elements(j.datasets) d
  -- operators' demand only: the platform's own open-statistics releases are recorded as jobs too
  where j.operation <> 'open_statistic' and not j.dry_run
), job_counts as (
  select code, count(distinct id)::int as total, count(distinct operator_id)::int as operators from job_datasets group by code
), field_counts as (
  select code, f as field, count(distinct id)::int as n
  from job_datasets cross join lateral jsonb_array_elements_text(fields) f group by code, f
), job_fields as (
  select code, jsonb_agg(jsonb_build_object('field', field, 'jobs', n) order by n desc, field) as fields from field_counts group by code
), dl as (
  select dataset_code, sum(count)::bigint as downloads from download_counts group by dataset_code
), fb as (
  select dataset_code, count(*)::int as total, count(*) filter (where status in ('open', 'in_progress'))::int as open
  from feedback group by dataset_code
), latest as (
  select distinct on (year, department_code) items from priority_list_versions order by year, department_code, version desc
), listed as (
  select distinct i->>'datasetCode' as code from latest cross join lateral jsonb_array_elements(latest.items) i
  where i->>'datasetCode' is not null
)
select ds.code, ds.name, ds.department, ds.department_code, ds.open_type, ds.current_version is not null as loaded,
  (listed.code is not null) as listed,
  coalesce(apps.approved, 0) as approved, coalesce(apps.rejected, 0) as rejected, coalesce(apps.pending, 0) as pending,
  coalesce(job_counts.total, 0) as jobs, coalesce(job_counts.operators, 0) as operators,
  coalesce(job_fields.fields, '[]'::jsonb) as fields,
  coalesce(dl.downloads, 0) as downloads, coalesce(fb.total, 0) as feedback_total, coalesce(fb.open, 0) as feedback_open
from datasets ds
left join apps on apps.dataset_code = ds.code
left join job_counts on job_counts.code = ds.code
left join job_fields on job_fields.code = ds.code
left join dl on dl.dataset_code = ds.code
left join fb on fb.dataset_code = ds.code
left join listed on listed.code = ds.code
where ($1::text is null or ds.department_code = $1::text)
order by ds.code`;

interface Row {
  code: string;
  name: string;
  department: string;
  department_code: string;
  open_type: string;
  loaded: boolean;
  listed: boolean;
  approved: number;
  rejected: number;
  pending: number;
  jobs: number;
  operators: number;
  fields: { field: string; jobs: number }[] | string;
  downloads: number | string | bigint;
  feedback_total: number;
  feedback_open: number;
}

export interface DemandReport {
  items: DemandSignal[];
  /** datasets not open yet (see notYetOpen); highest score first, ties by code */
  mostDemandedNotOpen: DemandSignal[];
}

/**
 * Not open yet: the open attribute is 不予开放, or the dataset is to be open but has no data published. A dataset the
 * public can already download or apply for is open, whether or not a priority list names it.
 */
export function notYetOpen(s: Pick<DemandSignal, 'openType' | 'loaded'>): boolean {
  return s.openType === 'not_open' || !s.loaded;
}

/** Throws FORBIDDEN (not staff). */
export async function demandSignalsVerb(ctx: VerbContext, input: { departmentCode?: string | undefined }): Promise<DemandReport> {
  if (ctx.actor.type !== 'staff') throw new AppError('FORBIDDEN', 'only staff read demand signals');
  const rows = await ctx.database.sql.query<Row>(DEMAND_SQL, [input.departmentCode ?? null]);
  const items = rows.map((r): DemandSignal => {
    const signal = {
      datasetCode: r.code,
      name: r.name,
      department: r.department,
      departmentCode: r.department_code,
      openType: r.open_type,
      loaded: r.loaded,
      listed: r.listed,
      applications: { approved: Number(r.approved), rejected: Number(r.rejected), pending: Number(r.pending) },
      jobs: { total: Number(r.jobs), operators: Number(r.operators), fields: typeof r.fields === 'string' ? JSON.parse(r.fields) : r.fields },
      downloads: Number(r.downloads),
      feedback: { total: Number(r.feedback_total), open: Number(r.feedback_open) },
      score: 0,
    };
    signal.score = demandScore(signal);
    return signal;
  });
  const mostDemandedNotOpen = items
    .filter(notYetOpen)
    .sort((a, b) => b.score - a.score || a.datasetCode.localeCompare(b.datasetCode));
  return { items, mostDemandedNotOpen };
}
