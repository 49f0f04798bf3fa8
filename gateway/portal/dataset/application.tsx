// The conditional-open application (有条件开放申请) form of a dataset page, and the receipt that shows the status
// token once.
import type { CatalogEntryView } from '../../../catalog-open/index.ts';
import { CsrfField } from '../csrf.tsx';
import { ErrorSummary, errorFor, FieldError } from '../form-ui.tsx';
import { all, one, type FormValues, type Issue } from '../forms.ts';
import { useWords } from '../lang.ts';
import { Notice } from '../layout.tsx';
const IDS: Record<string, string> = {
  'applicant.type': 'ap-type-person',
  'applicant.name': 'ap-name',
  'applicant.uscc': 'ap-uscc',
  'applicant.contact.email': 'ap-email',
  'applicant.contact.phone': 'ap-phone',
  purpose: 'ap-purpose',
  fields: 'ap-fields',
  durationDays: 'ap-duration',
  access: 'ap-access',
  acceptCommitment: 'ap-commitment',
};

/** The verb's input from the form: shaped like the JSON API's body; the verb validates every part of it. */
export function applicationInput(code: string, form: FormValues): Record<string, unknown> {
  const type = one(form, 'applicantType');
  const phone = one(form, 'phone');
  const contact = { email: one(form, 'email'), ...(phone ? { phone } : {}) };
  const applicant = type === 'organization' ? { type, name: one(form, 'name'), uscc: one(form, 'uscc'), contact } : { type, name: one(form, 'name'), contact };
  const days = one(form, 'durationDays');
  return {
    applicant,
    purpose: one(form, 'purpose'),
    dataset: code,
    fields: all(form, 'fields'),
    // a non-number stays a string so the verb names the field instead of a silent NaN
    durationDays: /^\d{1,4}$/.test(days) ? Number(days) : days,
    acceptCommitment: one(form, 'acceptCommitment') === 'yes',
    access: one(form, 'access') === 'sandbox' ? 'sandbox' : 'download',
  };
}

function Input(props: { field: string; name: string; label: string; issues: Issue[]; value: string; type?: string; maxlength?: number; autocomplete?: string }) {
  const id = IDS[props.field]!;
  const message = errorFor(useWords(), props.issues, props.field);
  return (
    <>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        maxlength={props.maxlength ?? 200}
        autocomplete={props.autocomplete}
        aria-invalid={message ? 'true' : undefined}
        aria-describedby={message ? `${id}-e` : undefined}
      />
      <FieldError id={`${id}-e`} message={message} />
    </>
  );
}

export function ApplicationForm(props: { entry: CatalogEntryView; csrf: string; values: FormValues; issues: Issue[] }) {
  const { values, issues, entry } = props;
  const type = one(values, 'applicantType') || 'person';
  const chosen = new Set(all(values, 'fields'));
  const W = useWords();
  const w = W.application;
  const err = (field: string) => errorFor(W, issues, field);
  return (
    <form method="post" action={`/portal/datasets/${encodeURIComponent(entry.code)}/apply`} class="stack" id="apply-form" novalidate>
      <ErrorSummary issues={issues} ids={IDS} />
      <CsrfField token={props.csrf} />
      <fieldset aria-describedby={err('applicant.type') ? 'ap-type-e' : undefined}>
        <legend>{w.applicantType}</legend>
        <label>
          <input type="radio" id="ap-type-person" name="applicantType" value="person" checked={type === 'person'} /> {w.person}
        </label>
        <label>
          <input type="radio" id="ap-type-org" name="applicantType" value="organization" checked={type === 'organization'} /> {w.organization}
        </label>
        <FieldError id="ap-type-e" message={err('applicant.type')} />
      </fieldset>
      <Input field="applicant.name" name="name" label={w.name} issues={issues} value={one(values, 'name')} autocomplete="name" />
      <Input field="applicant.uscc" name="uscc" label={w.uscc} issues={issues} value={one(values, 'uscc')} maxlength={18} />
      <Input field="applicant.contact.email" name="email" type="email" label={w.email} issues={issues} value={one(values, 'email')} autocomplete="email" />
      <Input field="applicant.contact.phone" name="phone" type="tel" label={w.phone} issues={issues} value={one(values, 'phone')} maxlength={20} autocomplete="tel" />
      <label for="ap-purpose">{w.purpose}</label>
      <textarea id="ap-purpose" name="purpose" rows={4} maxlength={2000} aria-invalid={err('purpose') ? 'true' : undefined} aria-describedby={err('purpose') ? 'ap-purpose-e' : undefined}>
        {one(values, 'purpose')}
      </textarea>
      <FieldError id="ap-purpose-e" message={err('purpose')} />
      <fieldset id="ap-fields" class="choices" aria-describedby={err('fields') ? 'ap-fields-e' : undefined}>
        <legend>{w.fields}</legend>
        {entry.fields.map((f) => (
          <label>
            <input type="checkbox" name="fields" value={f.name} checked={chosen.has(f.name)} /> {f.description || f.name} <code>{f.name}</code>
          </label>
        ))}
        <FieldError id="ap-fields-e" message={err('fields')} />
      </fieldset>
      <Input field="durationDays" name="durationDays" type="number" label={w.duration} issues={issues} value={one(values, 'durationDays') || '30'} maxlength={3} />
      <label for="ap-access">{w.access}</label>
      <select id="ap-access" name="access">
        <option value="download" selected={one(values, 'access') !== 'sandbox'}>
          {w.accessDownload}
        </option>
        <option value="sandbox" selected={one(values, 'access') === 'sandbox'}>
          {w.accessSandbox}
        </option>
      </select>
      <label class="check">
        <input
          type="checkbox"
          id="ap-commitment"
          name="acceptCommitment"
          value="yes"
          checked={one(values, 'acceptCommitment') === 'yes'}
          aria-invalid={err('acceptCommitment') ? 'true' : undefined}
          aria-describedby={err('acceptCommitment') ? 'ap-commitment-e' : undefined}
        />{' '}
        {w.commitment}
      </label>
      <FieldError id="ap-commitment-e" message={err('acceptCommitment')} />
      <button type="submit">{w.submit}</button>
    </form>
  );
}

export function ApplicationReceipt(props: { entry: CatalogEntryView; id: string; statusToken: string }) {
  const w = useWords().application;
  return (
    <>
      <Notice kind="warn">
        <strong>{w.keepToken}</strong>
      </Notice>
      <dl class="meta receipt">
        <div>
          <dt>{w.dataset}</dt>
          <dd>
            <a href={`/portal/datasets/${encodeURIComponent(props.entry.code)}`}>{props.entry.name}</a>
          </dd>
        </div>
        <div>
          <dt>{w.idLabel}</dt>
          <dd>
            <code id="application-id">{props.id}</code>
          </dd>
        </div>
        <div>
          <dt>{w.tokenLabel}</dt>
          <dd>
            <code id="status-token">{props.statusToken}</code>
          </dd>
        </div>
      </dl>
      <p class="muted">{w.howToFollow}</p>
    </>
  );
}
