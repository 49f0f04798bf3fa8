// Steward desk: job outputs in human review, shown with the automatic checks' report and the model code.
import { decideReview, listReviews } from '../../../sandbox/reviews/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { readForm } from '../forms.ts';
import { langOf } from '../i18n.ts';
import { Layout, Notice } from '../layout.tsx';
import type { ConsoleApp } from '../routes.tsx';
import { consoleVerbContext } from '../session.ts';
import { day } from './shared.ts';
import { DecisionForm } from './decision-form.tsx';
import { WORDS } from './words.ts';

export function reviewPages(ui: ConsoleApp, deps: GatewayDeps) {
  ui.get('/reviews', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const { items } = await listReviews(consoleVerbContext(deps, c), { limit: 50 });
    return c.html(
      <Layout title={w.reviews.title} lang={lang} session={session} path="/console/reviews">
        {c.req.query('done') === '1' && <Notice kind="ok">{w.done}</Notice>}
        {items.length === 0 && <p class="muted">{w.reviews.none}</p>}
        {items.map((r) => (
          <section class="card">
            <h2>
              {w.reviews.job} <code>{r.jobId}</code>
            </h2>
            <p>
              {w.reviews.operator}: <code>{r.operatorId}</code> · {w.reviews.datasets}: {r.datasets.map((d) => `${d.code}(${d.fields.join(', ')})`).join('; ')} · {day(r.createdAt)}
            </p>
            <details open>
              <summary>{w.reviews.checks}</summary>
              <pre>{JSON.stringify(r.record, null, 2)}</pre>
            </details>
            <details open>
              <summary>{w.reviews.output}</summary>
              <pre>{JSON.stringify(r.output, null, 2).slice(0, 20_000)}</pre>
            </details>
            <details>
              <summary>
                {w.reviews.code} <code>sha256 {r.codeSha256.slice(0, 16)}…</code>
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
