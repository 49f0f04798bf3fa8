// The console's home: charts of what happened (jobs by outcome, alerts, privacy budget, downloads), rendered as SVG
// on the server with the numbers on the bars.
import { downloadsPerDataset } from '../../../catalog-open/index.ts';
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

const lookup = (counts: DayCount[]) => (day: string, key: string) => counts.find((c) => c.day === day && c.key === key)?.count ?? 0;

export function dashboardPages(ui: ConsoleApp, deps: GatewayDeps) {
  ui.get('/', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const db = servicesOf(deps).database.db;
    const security = session.staff.role === 'security';
    const [jobs, alerts, budget, downloads] = await Promise.all([
      jobsPerDay(db, 14),
      security ? alertsPerDay(db, 14) : Promise.resolve([]),
      security ? budgetUse(db) : Promise.resolve([]),
      downloadsPerDataset(db, 30),
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
            <Bars title={w.downloads} rows={downloads.map((d) => ({ label: d.name, value: d.downloads }))} empty={w.empty} />
          </section>
        </div>
      </Layout>,
    );
  });
}
