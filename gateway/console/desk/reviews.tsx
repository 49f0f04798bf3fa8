// Steward desk: job outputs in human review — who asked, on what data, the tables and models the job would release
// with each cell's verdict and the automatic checks (review-record.tsx), the model code, and the decision.
import { decideReview, listReviews } from '../../../sandbox/reviews/index.ts';
import { listDatasets } from '../../../store/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { readForm } from '../forms.ts';
import { langOf } from '../i18n.ts';
import { Layout, Named, Notice, Time } from '../layout.tsx';
import { namesFor } from '../names.ts';
import type { ConsoleApp } from '../routes.tsx';
import { consoleVerbContext } from '../session.ts';
import { DecisionForm } from './decision-form.tsx';
import { ReleaseUnderReview } from './review-record.tsx';
import { WORDS } from './words.ts';

/**
 * Approvals a review may carry (a release without DP needs two stewards), read without trusting the shape:
 * `{stewardId, decidedAt}` or `{by, at}`.
 */
function approvalsOf(review: unknown): { by: string; at: string | null }[] {
  const list = (review as { approvals?: unknown }).approvals;
  if (!Array.isArray(list)) return [];
  return list.flatMap((a) => {
    const o = (a ?? {}) as Record<string, unknown>;
    const by = typeof o.stewardId === 'string' ? o.stewardId : typeof o.by === 'string' ? o.by : null;
    const at = typeof o.decidedAt === 'string' ? o.decidedAt : typeof o.at === 'string' ? o.at : null;
    return by ? [{ by, at }] : [];
  });
}

/** How many approvals release it, and the operator's reason when it is a release without DP (absent: unknown). */
function reviewTerms(review: unknown): { approvalsNeeded: number | null; withoutDp: string | null } {
  const r = review as { approvalsNeeded?: unknown; dp?: unknown; justification?: unknown };
  return {
    approvalsNeeded: typeof r.approvalsNeeded === 'number' ? r.approvalsNeeded : null,
    withoutDp: r.dp === false ? (typeof r.justification === 'string' ? r.justification : '') : null,
  };
}

export function reviewPages(ui: ConsoleApp, deps: GatewayDeps) {
  ui.get('/reviews', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const db = servicesOf(deps).database.db;
    const { items } = await listReviews(consoleVerbContext(deps, c), { limit: 50 });
    const names = await namesFor(db, { operators: items.map((r) => r.operatorId), staff: items.flatMap((r) => approvalsOf(r).map((a) => a.by)) });
    const datasetNames = new Map((await listDatasets(db, { limit: 500 })).items.map((d) => [d.code, d.name]));
    const sep = lang === 'zh' ? '、' : ', ';
    return c.html(
      <Layout title={w.reviews.title} lang={lang} session={session} path="/console/reviews">
        {c.req.query('done') === '1' && <Notice kind="ok">{w.reviews.done}</Notice>}
        {items.length === 0 && <p class="muted">{w.reviews.none}</p>}
        {items.map((r) => (
          <section class="card review" aria-labelledby={`review-${r.jobId}`}>
            <h2 id={`review-${r.jobId}`}>
              {w.reviews.job} <code class="id">{r.jobId}</code>
            </h2>
            <dl class="facts">
              <dt>{w.reviews.operator}</dt>
              <dd>
                <a href={`/console/whitelist/${r.operatorId}`}>
                  <Named name={names.operator(r.operatorId)} id={r.operatorId} />
                </a>
              </dd>
              <dt>{w.reviews.licence}</dt>
              <dd>
                <code class="id">{r.licenseId}</code>
              </dd>
              <dt>{w.reviews.datasets}</dt>
              <dd>
                {r.datasets.map((d) => (
                  <div>
                    {datasetNames.get(d.code) ?? d.code} <code class="id">{d.code}</code>
                    {d.fields.length > 0 ? `：${d.fields.join(sep)}` : ''}
                  </div>
                ))}
              </dd>
              <dt>{w.reviews.submitted}</dt>
              <dd>
                <Time iso={r.createdAt} lang={lang} />
              </dd>
              <dt>{w.reviews.checked}</dt>
              <dd>
                <Time iso={r.finishedAt} lang={lang} />
              </dd>
            </dl>
            <ReleaseUnderReview
              record={r.record}
              output={r.output}
              lang={lang}
              approvals={approvalsOf(r).map((a) => ({ by: names.staff(a.by) ?? a.by, at: a.at }))}
              {...reviewTerms(r)}
            />
            <details>
              <summary>
                {w.reviews.code} <code class="id">SHA-256 {r.codeSha256.slice(0, 16)}…</code>
              </summary>
              <pre>{r.code.slice(0, 20_000)}</pre>
            </details>
            <DecisionForm action={`/console/reviews/${r.jobId}/decision`} lang={lang} session={session} />
          </section>
        ))}
      </Layout>,
    );
  });

  ui.post('/reviews/:jobId/decision', async (c) => {
    const f = await readForm(c);
    await decideReview(consoleVerbContext(deps, c), c.req.param('jobId'), { approve: f.approve === 'true', reason: f.reason ?? '' });
    return c.redirect('/console/reviews?done=1', 303);
  });
}
