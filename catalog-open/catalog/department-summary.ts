// Per-department summary of the public catalog: listed datasets by open attribute, mean quality, overdue updates.
import type { PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import { LISTED_COLUMNS, LISTED_CTE, toCatalogRow, type ListedSqlRow } from './catalog-row.ts';
import { qualityScore } from './quality.ts';
import { policiedCodes } from './search-catalog.ts';
import { usageCounts } from './show-entry.ts';
import type { DepartmentSummary } from './types.ts';

/** Every department with a registered dataset, by department code; not_open datasets are counted, never listed. */
export async function departmentSummary(database: Database, policies: PolicySet, now: Date = new Date()): Promise<DepartmentSummary[]> {
  const [rows, notOpen, counts] = await Promise.all([
    database.sql.query<ListedSqlRow>(`with ${LISTED_CTE} select ${LISTED_COLUMNS} from listed`, [policiedCodes(policies)]),
    database.sql.query<{ department_code: string; department: string; n: number }>(
      `select department_code, min(department) as department, count(*)::int as n
         from datasets where open_type = 'not_open' group by department_code`,
    ),
    usageCounts(database, null),
  ]);
  const byDepartment = new Map<string, DepartmentSummary & { qualitySum: number }>();
  const of = (code: string, name: string) => {
    let s = byDepartment.get(code);
    if (!s) {
      s = {
        department: name,
        departmentCode: code,
        datasets: { unconditional: 0, conditional: 0, notOpen: 0, total: 0 },
        meanQuality: 0,
        overdueUpdates: 0,
        downloads: 0,
        feedback: { open: 0, resolved: 0 },
        qualitySum: 0,
      };
      byDepartment.set(code, s);
    }
    return s;
  };
  for (const raw of rows) {
    const row = toCatalogRow(raw);
    const s = of(row.departmentCode, row.department);
    const q = qualityScore(row, now);
    s.datasets[row.openType] += 1;
    s.datasets.total += 1;
    s.qualitySum += q.score;
    if (q.overdue) s.overdueUpdates += 1;
    const usage = counts.get(row.code);
    if (usage) {
      s.downloads += usage.downloads;
      s.feedback.open += usage.feedback.open;
      s.feedback.resolved += usage.feedback.resolved;
    }
  }
  for (const n of notOpen) {
    const s = of(n.department_code, n.department);
    s.datasets.notOpen += Number(n.n);
    s.datasets.total += Number(n.n);
  }
  return [...byDepartment.values()]
    .map(({ qualitySum, ...s }) => {
      const listed = s.datasets.unconditional + s.datasets.conditional;
      return { ...s, meanQuality: listed === 0 ? 0 : Math.round((qualitySum / listed) * 10) / 10 };
    })
    .sort((a, b) => (a.departmentCode < b.departmentCode ? -1 : a.departmentCode > b.departmentCode ? 1 : 0));
}
