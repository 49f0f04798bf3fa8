// One dataset: its catalog metadata, fields, downloads (unconditional) or the application form (conditional),
// versions, quality score, feedback and the schema.org Dataset JSON-LD. The forms post back here; a bad form is
// shown again with its messages (422), never a 500.
import type { Context } from 'hono';
import {
  listDatasetFeedbackVerb,
  showCatalogEntry,
  submitApplicationVerb,
  submitFeedbackVerb,
  toSchemaOrgDataset,
  type CatalogEntryView,
  type PublicFeedbackView,
} from '../../../catalog-open/index.ts';
import { AppError } from '../../../errors/index.ts';
import type { AppEnv, GatewayDeps } from '../../context.ts';
import { servicesOf, verbContext } from '../../middleware/authenticate.ts';
import { checkCsrf, CSRF_FIELD, csrfToken } from '../csrf.tsx';
import { issuesOf, one, readForm, type FormValues, type Issue } from '../forms.ts';
import { viewOf } from '../lang.ts';
import { Layout, Notice } from '../layout.tsx';
import type { PortalApp, PortalTools } from '../routes.tsx';
import { ApplicationForm, applicationInput, ApplicationReceipt } from './application.tsx';
import { FeedbackForm, FeedbackList, feedbackInput } from './feedback.tsx';
import { statisticProvenance } from '../../open-statistics-provenance.ts';
import { Provenance } from './provenance.tsx';
import { DatasetFacts, Distributions, FieldsTable, Quality, Versions } from './sections.tsx';

const CODE = /^[a-z][a-z0-9_]{0,47}$/;
const FEEDBACK_ID = /^fb_[0-9a-f-]{36}$/;

/** JSON for a <script type="application/ld+json"> block: `<`, `>` and `&` escaped so no text can close the block. */
export function jsonLd(doc: unknown): string {
  return JSON.stringify(doc).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

interface PageState {
  feedbackForm?: { values: FormValues; issues: Issue[] };
  applicationForm?: { values: FormValues; issues: Issue[] };
  thanks?: string;
}

function codeOf(c: Context<AppEnv>): string {
  const code = c.req.param('code') ?? '';
  if (!CODE.test(code)) throw new AppError('DATASET_NOT_FOUND', 'no open dataset with this code');
  return code;
}

export function datasetPages(ui: PortalApp, deps: GatewayDeps, tools: PortalTools) {
  async function render(c: Context<AppEnv>, code: string, state: PageState, status: 200 | 422) {
    const { database, policies } = servicesOf(deps);
    const entry: CatalogEntryView = await showCatalogEntry(database, policies, code);
    const feedback = await listDatasetFeedbackVerb(verbContext(deps, c), code, { limit: 50 });
    const provenance = await statisticProvenance(database.db, code);
    const csrf = csrfToken(c);
    const schemaOrg = jsonLd(toSchemaOrgDataset(entry, deps.config.publicUrl));
    const view = viewOf(c);
    const W = view.W;
    const w = W.dataset;
    return c.html(
      <Layout view={view} title={entry.name} path="/portal/datasets" head={<script type="application/ld+json" dangerouslySetInnerHTML={{ __html: schemaOrg }} />}>
        {/* a statistic's summary is written for the public; its registry description goes with the provenance */}
        <p class="lead">{provenance ? entry.summary : entry.description || entry.summary}</p>
        {provenance && <Provenance provenance={provenance} description={entry.description} lang={view.lang} />}
        <DatasetFacts entry={entry} />
        <FieldsTable entry={entry} />
        {entry.openType === 'unconditional' ? (
          <Distributions entry={entry} />
        ) : (
          <section id="apply" aria-labelledby="apply-h">
            <h2 id="apply-h">{w.apply}</h2>
            <p>{w.applyIntro}</p>
            {entry.openConditions && (
              <p>
                <strong>
                  {w.openConditions}
                  {W.colon}
                </strong>
                {entry.openConditions}
              </p>
            )}
            <ApplicationForm entry={entry} csrf={csrf} values={state.applicationForm?.values ?? {}} issues={state.applicationForm?.issues ?? []} />
          </section>
        )}
        <Versions entry={entry} />
        <Quality entry={entry} />
        <section id="feedback" aria-labelledby="feedback-h">
          <h2 id="feedback-h">{w.feedback}</h2>
          {state.thanks && <Notice kind="ok">{w.feedbackThanks(state.thanks)}</Notice>}
          <p class="counts">{w.feedbackCounts(feedback.counts.open, feedback.counts.resolved)}</p>
          <FeedbackList items={feedback.items as PublicFeedbackView[]} />
          <FeedbackForm code={entry.code} csrf={csrf} values={state.feedbackForm?.values ?? {}} issues={state.feedbackForm?.issues ?? []} />
        </section>
      </Layout>,
      status,
    );
  }

  ui.get('/datasets/:code', async (c) => {
    const thanks = c.req.query('feedback');
    return render(c, codeOf(c), { thanks: thanks && FEEDBACK_ID.test(thanks) ? thanks : undefined }, 200);
  });

  ui.post('/datasets/:code/feedback', async (c) => {
    const code = codeOf(c);
    tools.limitForms(c);
    const form = await readForm(c);
    checkCsrf(c, one(form, CSRF_FIELD));
    try {
      const { id } = await submitFeedbackVerb(verbContext(deps, c), feedbackInput(code, form));
      return c.redirect(`/portal/datasets/${encodeURIComponent(code)}?feedback=${encodeURIComponent(id)}#feedback`, 303);
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return render(c, code, { feedbackForm: { values: form, issues } }, 422);
    }
  });

  ui.post('/datasets/:code/apply', async (c) => {
    const code = codeOf(c);
    tools.limitForms(c);
    const form = await readForm(c);
    checkCsrf(c, one(form, CSRF_FIELD));
    const { policies } = servicesOf(deps);
    try {
      const receipt = await submitApplicationVerb(verbContext(deps, c), policies, applicationInput(code, form));
      const entry = await showCatalogEntry(servicesOf(deps).database, policies, code);
      // the token is shown in this response only: never in a URL, a redirect or a log
      const view = viewOf(c);
      return c.html(
        <Layout view={view} title={view.W.application.submitted} path="/portal/datasets">
          <ApplicationReceipt entry={entry} id={receipt.id} statusToken={receipt.statusToken} />
        </Layout>,
        201,
      );
    } catch (err) {
      const issues = issuesOf(err);
      if (!issues) throw err;
      return render(c, code, { applicationForm: { values: form, issues } }, 422);
    }
  });
}
