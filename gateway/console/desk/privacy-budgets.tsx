// Steward desk: each dataset's differential-privacy budget for the year, over every licence (spent, total, who set
// it), and the form that sets it. The same verbs as GET/PUT /steward/datasets/{code}/privacy-budget: Cedar decides
// which datasets a steward manages (their department's), and every change is audited inside the verb.
import { isAppError } from '../../../errors/index.ts';
import { datasetBudgetSchema, getDatasetBudget, setDatasetBudget, type DatasetBudgetView } from '../../../sandbox/jobs/index.ts';
import { listDatasets } from '../../../store/index.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import type { GatewayDeps } from '../../context.ts';
import { chinaTime } from '../../ui/time.ts';
import { Wide } from '../../ui/wide-table.tsx';
import { readForm, validate } from '../forms.ts';
import { langOf } from '../i18n.ts';
import { Csrf, Layout, Notice } from '../layout.tsx';
import { namesFor } from '../names.ts';
import type { ConsoleApp } from '../routes.tsx';
import { consoleVerbContext } from '../session.ts';
import { WORDS } from './words.ts';

/** ε to show: enough digits to tell a small spend from none. */
const eps = (v: number) => (v === 0 ? '0' : v < 0.01 ? v.toPrecision(2) : v.toFixed(2));

export function privacyBudgetPages(ui: ConsoleApp, deps: GatewayDeps) {
  ui.get('/privacy-budgets', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const { database, policies } = servicesOf(deps);
    const ctx = consoleVerbContext(deps, c);
    const datasets = (await listDatasets(database.db, { limit: 500 })).items.filter((d) => policies.datasets.has(d.code));
    const rows: { name: string; budget: DatasetBudgetView }[] = [];
    for (const d of datasets) {
      try {
        rows.push({ name: d.name, budget: await getDatasetBudget(ctx, policies, d.code) });
      } catch (err) {
        // another department's dataset: not this steward's to see
        if (!isAppError(err) || err.code !== 'FORBIDDEN') throw err;
      }
    }
    const names = await namesFor(database.db, { staff: rows.map((r) => r.budget.setBy) });
    return c.html(
      <Layout title={w.budgets.title} lang={lang} session={session} path="/console/privacy-budgets">
        {c.req.query('done') === '1' && <Notice kind="ok">{w.budgets.done}</Notice>}
        <p>{w.budgets.intro}</p>
        {rows.length === 0 ? (
          <p>{w.budgets.none}</p>
        ) : (
          <Wide label={w.budgets.title}>
            <table class="privacy-budgets">
              <thead>
                <tr>
                  <th scope="col">{w.budgets.dataset}</th>
                  <th scope="col">{w.budgets.year}</th>
                  <th scope="col" class="num">{w.budgets.spent}</th>
                  <th scope="col" class="num">{w.budgets.total}</th>
                  <th scope="col">{w.budgets.used}</th>
                  <th scope="col">{w.budgets.source}</th>
                  <th scope="col">{w.budgets.newEpsilon}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ name, budget: b }) => {
                  const percent = Math.round(b.used * 100);
                  return (
                    <tr data-dataset={b.dataset}>
                      <th scope="row">
                        {name} <code class="id">{b.dataset}</code>
                      </th>
                      <td>{b.year}</td>
                      <td class="num">{eps(b.epsilonSpent)}</td>
                      <td class="num">{eps(b.epsilonTotal)}</td>
                      <td>
                        <meter min={0} max={1} value={b.used} aria-label={`${w.budgets.used} ${percent} %`}></meter> {percent} %
                      </td>
                      <td>
                        {b.epsilonSet === null
                          ? `${w.budgets.rulesDefault} (ε ${eps(b.epsilonDefault)})`
                          : w.budgets.setBy.replace('{who}', names.staff(b.setBy) ?? b.setBy ?? '').replace('{when}', chinaTime(b.setAt, lang))}
                      </td>
                      <td>
                        <form method="post" action={`/console/privacy-budgets/${encodeURIComponent(b.dataset)}`} data-confirm={w.budgets.confirm} class="stack">
                          <Csrf session={session} />
                          <input type="hidden" name="year" value={String(b.year)} />
                          <label>
                            {w.budgets.newEpsilon}
                            <input name="epsilon" type="number" inputmode="decimal" min="0.01" max="1000" step="0.01" required value={eps(b.epsilonTotal)} />
                          </label>
                          <label>
                            {w.reason}
                            <input name="reason" required minlength={5} maxlength={500} />
                          </label>
                          <button type="submit">{w.budgets.save}</button>
                        </form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Wide>
        )}
      </Layout>,
    );
  });

  ui.post('/privacy-budgets/:code', async (c) => {
    const f = await readForm(c);
    const input = validate(datasetBudgetSchema, { year: Number(f.year), epsilon: Number(f.epsilon), reason: f.reason ?? '' });
    await setDatasetBudget(consoleVerbContext(deps, c), servicesOf(deps).policies, c.req.param('code'), input);
    return c.redirect('/console/privacy-budgets?done=1', 303);
  });
}
