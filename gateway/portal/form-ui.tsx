// Form messages: a summary (role=alert) at the top of a form that failed, and each message beside its field.
import type { Issue } from './forms.ts';
import { useWords } from './lang.ts';
import type { PortalWords } from './words.ts';

/** The field a verb's issue path belongs to: "fields.0" → "fields", "applicant.contact.email" stays whole. */
export function fieldOf(path: string): string {
  return path.replace(/\.\d+$/, '').replace(/^datasets\.\d+\./, '');
}

/** The reader's-language message for a field, or the verb's own message when the field is not one the form shows. */
export function messageOf(W: PortalWords, issue: Issue): string {
  return W.fieldErrors[fieldOf(issue.path)] ?? issue.message;
}

/** The message of `field`, if any issue names it. */
export function errorFor(W: PortalWords, issues: Issue[], field: string): string | undefined {
  const issue = issues.find((i) => fieldOf(i.path) === field);
  return issue ? messageOf(W, issue) : undefined;
}

export function ErrorSummary(props: { issues: Issue[]; ids: Record<string, string> }) {
  const W = useWords();
  if (props.issues.length === 0) return null;
  const messages = [...new Map(props.issues.map((i) => [fieldOf(i.path), { field: fieldOf(i.path), text: messageOf(W, i) }])).values()];
  return (
    <div class="notice error" role="alert" tabindex={-1}>
      <p>{W.validation}</p>
      <ul>
        {messages.map((m) => (
          <li>{props.ids[m.field] ? <a href={`#${props.ids[m.field]}`}>{m.text}</a> : m.text}</li>
        ))}
      </ul>
    </div>
  );
}

/** A field's message, referenced by the field's aria-describedby. */
export function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <span class="field-error" id={props.id}>
      {props.message}
    </span>
  ) : null;
}
