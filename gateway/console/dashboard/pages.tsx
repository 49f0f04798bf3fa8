// The console's home: charts of what happened (jobs by outcome, alerts, privacy budget, downloads), rendered as SVG
// on the server with the numbers on the bars.
import { downloadsPerDataset, listPublicPriorityYears, showPublicPriorityYear } from '../../../catalog-open/index.ts';
import type { Db } from '../../../store/index.ts';
import { alertsPerDay, budgetUse, jobsPerDay, type DayCount } from '../../../sandbox/stats/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { Bars, StackedColumns } from '../charts.tsx';
import { langOf, SHELL } from '../i18n.ts';
import { Layout } from '../layout.tsx';
import type { ConsoleApp } from '../routes.tsx';
import { WORDS } from './words.ts';

/** The last `days` days, oldest first, as YYYY-MM-DD (UTC). */
function lastDays(days: number, now = new Date()): string[] {
  return Array.from({ length: days }, (_, i) => new Date(now.getTime() - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Item statuses per department in the newest published year (or none yet). */
async function listProgress(db: Db): Promise<{ year: number; counts: DayCount[]; departments: string[] } | null> {
  const { items: years } = await listPublicPriorityYears(db);
  const year = Math.max(0, ...years.map((y) => y.year));
  if (!year) return null;
  const lists = await showPublicPriorityYear(db, { year });
  const counts = lists.departments.flatMap((d) =>
    (['opened', 'planned', 'overdue'] as const).map((key) => ({ day: d.department, key, count: d.items.filter((i) => i.status === key).length })),
  );
  return { year, counts, departments: lists.departments.map((d) => d.department) };
}

const lookup = (counts: DayCount[]) => (day: string, key: string) => counts.find((c) => c.day === day && c.key === key)?.count ?? 0;

export function dashboardPages(ui: ConsoleApp, deps: GatewayDeps) {
  ui.get('/', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const db = servicesOf(deps).database.db;
    const security = session.staff.role === 'security';
    const [jobs, alerts, budget, downloads, progress] = await Promise.all([
      jobsPerDay(db, 14),
      security ? alertsPerDay(db, 14) : Promise.resolve([]),
      security ? budgetUse(db) : Promise.resolve([]),
      downloadsPerDataset(db, 30),
      listProgress(db),
    ]);
    const days = lastDays(14);
    return c.html(
      <Layout title={SHELL[lang].dashboard} lang={lang} session={session} path="/console">
        <div class="cards">
          <section class="card">
            <StackedColumns
              title={w.jobs}
              categories={days}
              series={(['succeeded', 'review', 'rejected', 'failed', 'running', 'queued'] as const).map((key) => ({ key, label: w.status[key] }))}
              value={lookup(jobs)}
              empty={w.empty}
            />
          </section>
          {security && (
            <section class="card">
              <StackedColumns
                title={w.alerts}
                categories={days}
                series={(['critical', 'high', 'medium', 'low'] as const).map((key) => ({ key, label: w.severity[key] }))}
                value={lookup(alerts)}
                empty={w.empty}
              />
            </section>
          )}
          {security && (
            <section class="card">
              <Bars
                title={w.budget}
                rows={budget.map((b) => ({ label: `${b.operatorName} · ${b.dataset}`, value: b.epsilonSpent, total: b.epsilonTotal }))}
                empty={w.empty}
                unit=" ε"
              />
            </section>
          )}
          <section class="card">
            <StackedColumns
              title={`${w.progress}${progress ? ` · ${progress.year}` : ''}`}
              categories={progress?.departments ?? []}
              series={(['opened', 'planned', 'overdue'] as const).map((key) => ({ key, label: w.itemStatus[key] }))}
              value={progress ? lookup(progress.counts) : () => 0}
              empty={w.empty}
              categoryLabel={(department) => department}
            />
          </section>
          <section class="card">
            <Bars title={w.downloads} rows={downloads.map((d) => ({ label: d.name, value: d.downloads }))} empty={w.empty} />
          </section>
        </div>
      </Layout>,
    );
  });
}
