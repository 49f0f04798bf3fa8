// Steward desk: conditional-open applications of the steward's department, approved or rejected with a reason.
import { decideApplicationVerb, listApplicationsVerb } from '../../../catalog-open/index.ts';
import { listDatasets } from '../../../store/index.ts';
import { Wide } from '../../ui/wide-table.tsx';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { readForm } from '../forms.ts';
import { langOf } from '../i18n.ts';
import { Layout, Named, Notice } from '../layout.tsx';
import { namesFor } from '../names.ts';
import type { ConsoleApp } from '../routes.tsx';
import { consoleVerbContext } from '../session.ts';
import { day, statusFilter } from './shared.ts';
import { DecisionForm } from './decision-form.tsx';
import { WORDS } from './words.ts';

export function applicationPages(ui: ConsoleApp, deps: GatewayDeps) {
  ui.get('/applications', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const status = statusFilter(c, ['pending', 'approved', 'rejected'] as const) ?? (c.req.query('status') === '' ? undefined : 'pending');
    const page = await listApplicationsVerb(consoleVerbContext(deps, c), { status, limit: 50, cursor: c.req.query('cursor') || undefined });
    const db = servicesOf(deps).database.db;
    const names = await namesFor(db, { staff: page.items.map((a) => a.decidedBy) });
    const datasetNames = new Map((await listDatasets(db, { limit: 500 })).items.map((d) => [d.code, d.name]));
    const sep = lang === 'zh' ? '、' : ', ';
    return c.html(
      <Layout title={w.applications.title} lang={lang} session={session} path="/console/applications">
        {c.req.query('done') === '1' && <Notice kind="ok">{w.done}</Notice>}
        <form method="get" class="filters">
          <label>
            {w.status}
            <select name="status">
              <option value="">{w.any}</option>
              {(['pending', 'approved', 'rejected'] as const).map((s) => (
                <option value={s} selected={status === s}>
                  {w.applications.statuses[s]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{w.filter}</button>
        </form>
        <Wide label={w.applications.title}>
        <table>
          <thead>
            <tr>
              <th>{w.applications.applicant}</th>
              <th>{w.applications.dataset}</th>
              <th>{w.applications.purpose}</th>
              <th class="num">{w.applications.duration}</th>
              <th>{w.applications.access}</th>
              <th>{w.applications.submitted}</th>
              <th>{w.applications.decision}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((a) => (
              <tr>
                <td>
                  {a.applicant.name}
                  <div class="muted">{a.applicant.type === 'organization' ? a.applicant.uscc : ''}</div>
                </td>
                <td>
                  <strong>{datasetNames.get(a.dataset) ?? a.dataset}</strong> <code class="id">{a.dataset}</code>: {a.fields.join(sep)}
                </td>
                <td>{a.purpose}</td>
                <td class="num">{a.durationDays}</td>
                <td>{w.applications.accessKinds[a.access]}</td>
                <td>{day(a.createdAt)}</td>
                <td>
                  {a.status === 'pending' ? (
                    <DecisionForm action={`/console/applications/${a.id}/decision`} lang={lang} session={session} />
                  ) : (
                    <>
                      <span class={`badge ${a.status}`}>{w.applications.statuses[a.status]}</span>
                      <div class="muted">{a.decisionReason}</div>
                      {a.decidedBy && (
                        <div class="muted">
                          <Named name={names.staff(a.decidedBy)} id={a.decidedBy} /> · {day(a.decidedAt)}
                        </div>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </Wide>
        {page.nextCursor && (
          <p class="pager">
            <a href={`/console/applications?status=${status ?? ''}&cursor=${encodeURIComponent(page.nextCursor)}`}>{w.next}</a>
          </p>
        )}
      </Layout>,
    );
  });

  ui.post('/applications/:id/decision', async (c) => {
    const f = await readForm(c);
    const { policies } = servicesOf(deps);
    await decideApplicationVerb(consoleVerbContext(deps, c), policies, c.req.param('id'), { approve: f.approve === 'true', reason: f.reason ?? '' });
    return c.redirect('/console/applications?done=1', 303);
  });

}
