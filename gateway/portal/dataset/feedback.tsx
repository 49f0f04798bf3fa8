// Feedback on a dataset (问题数据可反馈): the public list with replies, and the form that reports a problem.
import { FEEDBACK_KINDS, type PublicFeedbackView } from '../../../catalog-open/index.ts';
import { CsrfField } from '../csrf.tsx';
import { ErrorSummary, errorFor, FieldError } from '../form-ui.tsx';
import { one, type FormValues, type Issue } from '../forms.ts';
import { useWords } from '../lang.ts';
import { Badge, Time } from '../layout.tsx';
import { wordOf } from '../words.ts';
const IDS = { kind: 'fb-kind', message: 'fb-message', contact: 'fb-contact' };

/** The verb's input from the form (the verb validates it). */
export function feedbackInput(code: string, form: FormValues): Record<string, unknown> {
  const contact = one(form, 'contact');
  return { dataset: code, kind: one(form, 'kind'), message: one(form, 'message'), ...(contact ? { contact } : {}) };
}

export function FeedbackList(props: { items: PublicFeedbackView[] }) {
  const W = useWords();
  const w = W.dataset;
  if (props.items.length === 0) return <p class="muted">{w.noFeedback}</p>;
  return (
    <ol class="feedback">
      {props.items.map((f) => (
        <li id={f.id}>
          <p>
            <Badge value={f.status}>{wordOf(W.feedbackStatus, f.status)}</Badge> <strong>{wordOf(W.feedbackKind, f.kind)}</strong>{' '}
            <span class="muted">
              <Time iso={f.createdAt} /> · {f.id}
            </span>
          </p>
          <p class="message">{f.message}</p>
          {f.replies.map((r) => (
            <p class="reply">
              <strong>{w.reply}</strong> <span class="muted"><Time iso={r.at} /></span>
              {W.colon}
              {r.message}
            </p>
          ))}
        </li>
      ))}
    </ol>
  );
}

export function FeedbackForm(props: { code: string; csrf: string; values: FormValues; issues: Issue[] }) {
  const { values, issues } = props;
  const W = useWords();
  const w = W.dataset;
  const err = (field: keyof typeof IDS) => errorFor(W, issues, field);
  return (
    <form method="post" action={`/portal/datasets/${encodeURIComponent(props.code)}/feedback`} class="stack" id="feedback-form" aria-labelledby="feedback-form-h" novalidate>
      <h3 id="feedback-form-h">{w.feedbackForm}</h3>
      <ErrorSummary issues={issues} ids={IDS} />
      <p class="muted">{w.feedbackPublic}</p>
      <CsrfField token={props.csrf} />
      <label for={IDS.kind}>{w.kind}</label>
      <select id={IDS.kind} name="kind" aria-invalid={err('kind') ? 'true' : undefined} aria-describedby={err('kind') ? `${IDS.kind}-e` : undefined}>
        {FEEDBACK_KINDS.map((k) => (
          <option value={k} selected={one(values, 'kind') === k}>
            {wordOf(W.feedbackKind, k)}
          </option>
        ))}
      </select>
      <FieldError id={`${IDS.kind}-e`} message={err('kind')} />
      <label for={IDS.message}>{w.message}</label>
      <textarea id={IDS.message} name="message" rows={4} maxlength={2000} aria-invalid={err('message') ? 'true' : undefined} aria-describedby={err('message') ? `${IDS.message}-e` : undefined}>
        {one(values, 'message')}
      </textarea>
      <FieldError id={`${IDS.message}-e`} message={err('message')} />
      <label for={IDS.contact}>{w.contact}</label>
      <input id={IDS.contact} name="contact" maxlength={200} value={one(values, 'contact')} aria-invalid={err('contact') ? 'true' : undefined} aria-describedby={err('contact') ? `${IDS.contact}-e` : undefined} />
      <FieldError id={`${IDS.contact}-e`} message={err('contact')} />
      <button type="submit">{w.sendFeedback}</button>
    </form>
  );
}
