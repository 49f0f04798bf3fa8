// The console's home: charts of what happened (jobs by outcome, alerts, privacy budget, downloads, priority-list
// progress), drawn on the server as HTML text beside SVG bars, so every word stays readable on a phone.
import { downloadsPerDataset, listPublicPriorityYears, showPublicPriorityYear } from '../../../catalog-open/index.ts';
import type { Db } from '../../../store/index.ts';
import { alertsPerDay, budgetUse, jobsPerDay, type DayCount } from '../../../sandbox/stats/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { BarChart, type BarRow } from '../../ui/charts.tsx';
import { chinaToday } from '../../ui/time.ts';
import { langOf, SHELL } from '../i18n.ts';
import { Layout } from '../layout.tsx';
import type { ConsoleApp } from '../routes.tsx';
import { WORDS } from './words.ts';

/** The last `days` days, oldest first, as YYYY-MM-DD (the stats count by UTC day). */
function lastDays(days: number, now = new Date()): string[] {
  return Array.from({ length: days }, (_, i) => new Date(now.getTime() - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/**
 * The year whose lists the progress chart shows: the one asked for if it has lists; else this year (in China) if it
 * has; else the latest earlier year; else the earliest later one. A list drafted and published for next year does not
 * take the chart over while this year's plans are under way.
 */
export function progressYear(years: readonly number[], today: string, asked?: number): number | null {
  if (years.length === 0) return null;
  if (asked !== undefined && years.includes(asked)) return asked;
  const current = Number(today.slice(0, 4));
  if (years.includes(current)) return current;
  const earlier = years.filter((y) => y < current);
  return earlier.length > 0 ? Math.max(...earlier) : Math.min(...years);
}

/** Item statuses per department in the chosen year (or none yet). */
async function listProgress(db: Db, asked: number | undefined): Promise<{ year: number; years: number[]; rows: BarRow[] } | null> {
  const { items } = await listPublicPriorityYears(db);
  const years = items.map((y) => y.year).sort((a, b) => a - b);
  const year = progressYear(years, chinaToday(), asked);
  if (year === null) return null;
  const lists = await showPublicPriorityYear(db, { year });
  const rows = lists.departments.map((d) => ({
    key: d.departmentCode,
    label: d.department,
    values: Object.fromEntries((['opened', 'planned', 'overdue'] as const).map((key) => [key, d.items.filter((i) => i.status === key).length])),
  }));
  return { year, years, rows };
}

/** Per-day counts as chart rows, one per day (oldest first). */
/** Colours that mean something: green done, orange waiting, red refused or failing, blue under way, grey idle. */
const COLORS: Record<string, string> = {
  succeeded: '#067647',
  review: '#b54708',
  rejected: '#b42318',
  failed: '#7a271a',
  running: '#0b5cad',
  queued: '#5b6570',
  critical: '#7a271a',
  high: '#b42318',
  medium: '#b54708',
  low: '#5b6570',
  opened: '#067647',
  planned: '#0b5cad',
  overdue: '#b42318',
};

const dayRows = (days: string[], counts: DayCount[]): BarRow[] =>
  days.map((day) => ({ key: day, label: day.slice(5), values: Object.fromEntries(counts.filter((c) => c.day === day).map((c) => [c.key, c.count])) }));

export function dashboardPages(ui: ConsoleApp, deps: GatewayDeps) {
  ui.get('/', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const db = servicesOf(deps).database.db;
    const security = session.staff.role === 'security';
    const askedYear = Number(c.req.query('year'));
    const [jobs, alerts, budget, downloads, progress] = await Promise.all([
      jobsPerDay(db, 14),
      security ? alertsPerDay(db, 14) : Promise.resolve([]),
      security ? budgetUse(db) : Promise.resolve([]),
      downloadsPerDataset(db, 30),
      listProgress(db, Number.isInteger(askedYear) ? askedYear : undefined),
    ]);
    const days = lastDays(14);
    return c.html(
      <Layout title={SHELL[lang].dashboard} lang={lang} session={session} path="/console">
        <div class="cards">
          <section class="card">
            <BarChart
              id="chart-jobs"
              title={w.jobs}
              series={(['succeeded', 'review', 'rejected', 'failed', 'running', 'queued'] as const).map((key) => ({ key, label: w.status[key], color: COLORS[key] }))}
              rows={dayRows(days, jobs)}
              empty={w.empty}
            />
          </section>
          {security && (
            <section class="card">
              <BarChart
                id="chart-alerts"
                title={w.alerts}
                series={(['critical', 'high', 'medium', 'low'] as const).map((key) => ({ key, label: w.severity[key], color: COLORS[key] }))}
                rows={dayRows(days, alerts)}
                empty={w.empty}
              />
            </section>
          )}
          {security && (
            <section class="card">
              <BarChart
                id="chart-budget"
                title={w.budget}
                series={[{ key: 'spent', label: w.spent }]}
                rows={budget.map((b) => ({ key: `${b.operatorName}-${b.dataset}`, label: `${b.operatorName} · ${b.dataset}`, values: { spent: b.epsilonSpent }, capacity: b.epsilonTotal }))}
                empty={w.empty}
                unit=" ε"
              />
            </section>
          )}
          <section class="card">
            <BarChart
              id="chart-progress"
              title={`${w.progress}${progress ? ` · ${progress.year}` : ''}`}
              series={(['opened', 'planned', 'overdue'] as const).map((key) => ({ key, label: w.itemStatus[key], color: COLORS[key] }))}
              rows={progress?.rows ?? []}
              empty={w.empty}
            />
            {progress && progress.years.length > 1 && (
              <p class="muted">
                {w.otherYears}
                {progress.years
                  .filter((y) => y !== progress.year)
                  .map((y) => (
                    <>
                      {' '}
                      <a href={`/console?year=${y}`}>{y}</a>
                    </>
                  ))}
              </p>
            )}
          </section>
          <section class="card">
            <BarChart
              id="chart-downloads"
              title={w.downloads}
              series={[{ key: 'downloads', label: w.downloadsSeries }]}
              rows={downloads.map((d) => ({ key: d.name, label: d.name, values: { downloads: d.downloads } }))}
              empty={w.empty}
            />
          </section>
        </div>
      </Layout>,
    );
  });
}
