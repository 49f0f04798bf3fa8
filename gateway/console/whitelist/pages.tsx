// Whitelist (security staff): operators with status, keys and licences (scope, validity, IP allowlist, budget, quota);
// register, add or retire a key, grant / change / revoke a licence, suspend or reinstate — each confirmed, each audited
// by the verbs the API uses.
import { licenceBudgets, type BudgetView } from '../../../sandbox/jobs/index.ts';
import { listDatasets, type DatasetRecord } from '../../../store/index.ts';
import { chinaMinute, chinaTime, fromChinaLocalInput } from '../../ui/time.ts';
import { Wide } from '../../ui/wide-table.tsx';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { consoleVerbContext as verbContext } from '../session.ts';
import { changeLicense, grantLicense } from '../../whitelist/licenses.ts';
import { addOperatorKey, listOperators, registerOperator, retireOperatorKey, setOperatorStatus, showOperator } from '../../whitelist/operators.ts';
import { changeLicenseSchema, grantLicenseSchema, operatorStatusSchema, registerOperatorSchema } from '../../whitelist/schemas.ts';
import type { LicenseView, OperatorView } from '../../whitelist/views.ts';
import { listOf, readForm, validate } from '../forms.ts';
import { langOf, type Lang } from '../i18n.ts';
import { Csrf, Layout, Notice } from '../layout.tsx';
import type { ConsoleApp } from '../routes.tsx';
import type { ConsoleSession } from '../session.ts';
import { GrantForm } from './grant-form.tsx';
import { WORDS } from './words.ts';

const DONE = ['registered', 'suspended', 'active', 'revoked', 'key-added', 'key-retired', 'granted', 'licence-changed'] as const;

function jsonOrThrow(text: string | undefined, field: string): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return { __invalid: field };
  }
}

function StatusBadge(props: { status: string; lang: Lang }) {
  const w = WORDS[props.lang];
  return <span class={`badge ${props.status}`}>{w.status[props.status as keyof typeof w.status] ?? props.status}</span>;
}

function LicenceRows(props: { licence: LicenseView; budgets: BudgetView[]; lang: Lang; session: ConsoleSession; operatorId: string; datasetNames: Map<string, string> }) {
  const w = WORDS[props.lang];
  const l = props.licence;
  const sep = props.lang === 'zh' ? '、' : ', ';
  return (
    <tr>
      <td>
        {l.scenario}
        <div>
          <code class="id">{l.id}</code>
        </div>
      </td>
      <td>
        {l.datasets.map((d) => (
          <div>
            <strong>{props.datasetNames.get(d.code) ?? d.code}</strong> <code class="id">{d.code}</code>: {d.fields.join(sep)}{' '}
            <span class="muted">({d.operations.map((op) => w.operationNames[op] ?? op).join(sep)})</span>
          </div>
        ))}
      </td>
      <td>
        <time datetime={l.validFrom}>{chinaTime(l.validFrom, props.lang)}</time> → <time datetime={l.validTo}>{chinaTime(l.validTo, props.lang)}</time>
      </td>
      <td>{l.ipAllowlist.join(', ')}</td>
      <td class="num">
        {props.budgets
          .filter((b) => b.licenseId === l.id)
          .map((b) => (
            <div>
              {b.dataset}: ε {b.epsilonSpent} / {b.epsilonTotal} <meter min={0} max={1} value={b.licence.used} title={`${Math.round(b.licence.used * 100)} %`}></meter> ({w.left} {b.jobsLeftAtDefault} {w.jobs})
            </div>
          ))}
      </td>
      <td class="num">{l.maxJobsPerDay}</td>
      <td>
        <StatusBadge status={l.status} lang={props.lang} />
        {l.statusReason && <div class="muted">{l.statusReason}</div>}
      </td>
      <td>
        {l.status !== 'revoked' && (
          <form method="post" action={`/console/whitelist/${props.operatorId}/licenses/${l.id}`} data-confirm={w.confirmLicence}>
            <Csrf session={props.session} />
            <label>
              {w.newStatus}
              <select name="status">
                {l.status !== 'active' && <option value="active">{w.status.active}</option>}
                {l.status !== 'suspended' && <option value="suspended">{w.status.suspended}</option>}
                <option value="revoked">{w.status.revoked}</option>
              </select>
            </label>
            <label>
              {w.reason}
              <input name="reason" required minlength={2} maxlength={500} />
            </label>
            <button type="submit" class="danger">
              {w.apply}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

function OperatorPage(props: { operator: OperatorView; budgets: BudgetView[]; lang: Lang; session: ConsoleSession; done?: string; datasets: DatasetRecord[]; chosen: DatasetRecord | undefined }) {
  const w = WORDS[props.lang];
  const o = props.operator;
  const datasetNames = new Map(props.datasets.map((d) => [d.code, d.name]));
  return (
    <>
      {props.done && <Notice kind="ok">{w.done[props.done as keyof typeof w.done] ?? ''}</Notice>}
      <dl>
        <dt>{w.uscc}</dt>
        <dd>{o.uscc}</dd>
        <dt>{w.contact}</dt>
        <dd>
          {o.contact.name} · {o.contact.email} · {o.contact.phone}
        </dd>
        <dt>{w.statusLabel}</dt>
        <dd>
          <StatusBadge status={o.status} lang={props.lang} /> {o.statusReason && <span class="muted">{o.statusReason}</span>}
        </dd>
      </dl>

      {o.status !== 'revoked' && (
        <form method="post" action={`/console/whitelist/${o.id}/status`} class="stack" data-confirm={w.confirmStatus}>
          <h2>{w.changeStatus}</h2>
          <Csrf session={props.session} />
          <label>
            {w.newStatus}
            <select name="status">
              {o.status !== 'suspended' && <option value="suspended">{w.suspend}</option>}
              {o.status !== 'active' && <option value="active">{w.reinstate}</option>}
              <option value="revoked">{w.revoke}</option>
            </select>
          </label>
          <label>
            {w.reason}
            <input name="reason" required minlength={2} maxlength={500} />
          </label>
          <button type="submit" class="danger">
            {w.apply}
          </button>
        </form>
      )}

      <h2>{w.keys}</h2>
      <Wide label={w.keys}>
      <table>
        <thead>
          <tr>
            <th>{w.kid}</th>
            <th>{w.alg}</th>
            <th>
              {w.created}
              {w.at}
            </th>
            <th>
              {w.retired}
              {w.at}
            </th>
            <th>{w.actions}</th>
          </tr>
        </thead>
        <tbody>
          {o.keys.map((k) => (
            <tr>
              <td>
                <code>{k.kid}</code>
              </td>
              <td>{k.alg}</td>
              <td>{chinaMinute(k.createdAt)}</td>
              <td>{k.retiredAt ? chinaMinute(k.retiredAt) : ''}</td>
              <td>
                {!k.retiredAt && (
                  <form method="post" action={`/console/whitelist/${o.id}/keys/${encodeURIComponent(k.kid)}/retire`} class="inline" data-confirm={w.confirmRetire}>
                    <Csrf session={props.session} />
                    <button type="submit" class="secondary">
                      {w.retire}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </Wide>
      <form method="post" action={`/console/whitelist/${o.id}/keys`} class="stack" data-confirm={w.confirmAddKey}>
        <Csrf session={props.session} />
        <label>
          {w.addKey} (JWK, ES256 / EdDSA)
          <textarea name="jwk" required></textarea>
        </label>
        <button type="submit">{w.addKey}</button>
      </form>

      <h2>{w.licences}</h2>
      <Wide label={w.licences}>
      <table>
        <thead>
          <tr>
            <th>{w.licence}</th>
            <th>{w.scope}</th>
            <th>{w.validity}</th>
            <th>{w.ipAllowlist}</th>
            <th class="num">{w.budget}</th>
            <th class="num">{w.quota}</th>
            <th>{w.statusLabel}</th>
            <th>{w.actions}</th>
          </tr>
        </thead>
        <tbody>
          {o.licenses.map((l) => (
            <LicenceRows licence={l} budgets={props.budgets} lang={props.lang} session={props.session} operatorId={o.id} datasetNames={datasetNames} />
          ))}
        </tbody>
      </table>
      </Wide>

      <GrantForm operator={o} datasets={props.datasets} chosen={props.chosen} lang={props.lang} session={props.session} />
    </>
  );
}

export function whitelistPages(ui: ConsoleApp, deps: GatewayDeps) {
  ui.get('/whitelist', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const cursor = c.req.query('cursor');
    const page = await listOperators(verbContext(deps, c), { limit: 50, cursor: cursor && cursor.length < 100 ? cursor : undefined });
    const done = c.req.query('done');
    return c.html(
      <Layout title={w.title} lang={lang} session={session} path="/console/whitelist">
        {done && (DONE as readonly string[]).includes(done) && <Notice kind="ok">{w.done[done as keyof typeof w.done]}</Notice>}
        <Wide label={w.title}>
        <table>
          <thead>
            <tr>
              <th>{w.name}</th>
              <th>{w.uscc}</th>
              <th>{w.statusLabel}</th>
              <th class="num">{w.keys}</th>
              <th class="num">{w.licences}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((o) => (
              <tr>
                <td>
                  <a href={`/console/whitelist/${o.id}`}>{o.name}</a>
                </td>
                <td>{o.uscc}</td>
                <td>
                  <StatusBadge status={o.status} lang={lang} />
                </td>
                <td class="num">{o.keys.filter((k) => !k.retiredAt).length}</td>
                <td class="num">{o.licenses.filter((l) => l.status === 'active').length}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </Wide>
        {page.nextCursor && (
          <p class="pager">
            <a href={`/console/whitelist?cursor=${encodeURIComponent(page.nextCursor)}`}>{w.next}</a>
          </p>
        )}
        <form method="post" action="/console/whitelist" class="stack" data-confirm={w.confirmRegister}>
          <h2>{w.register}</h2>
          <Csrf session={session} />
          <label>
            {w.name}
            <input name="name" required minlength={2} maxlength={200} />
          </label>
          <label>
            {w.uscc}
            <input name="uscc" required minlength={18} maxlength={18} />
          </label>
          <label>
            {w.contactName}
            <input name="contactName" required />
          </label>
          <label>
            {w.email}
            <input name="email" type="email" required />
          </label>
          <label>
            {w.phone}
            <input name="phone" required />
          </label>
          <label>
            JWK (ES256 / EdDSA)
            <textarea name="jwk" required></textarea>
          </label>
          <button type="submit">{w.register}</button>
        </form>
      </Layout>,
    );
  });

  ui.post('/whitelist', async (c) => {
    const f = await readForm(c);
    const input = validate(registerOperatorSchema, {
      name: f.name,
      uscc: f.uscc,
      contact: { name: f.contactName, email: f.email, phone: f.phone },
      jwks: { keys: [jsonOrThrow(f.jwk, 'jwk')] },
    });
    const operator = await registerOperator(verbContext(deps, c), input);
    return c.redirect(`/console/whitelist/${operator.id}?done=registered`, 303);
  });

  ui.get('/whitelist/:id', async (c) => {
    const lang = langOf(c);
    const session = c.get('session');
    const operator = await showOperator(verbContext(deps, c), c.req.param('id'));
    const db = servicesOf(deps).database.db;
    const budgets = await licenceBudgets(db, servicesOf(deps).policies, operator.licenses.map((l) => l.id));
    // the registry feeds the licence form's pickers (names and fields of every registered dataset)
    const datasets = (await listDatasets(db, { limit: 500 })).items;
    const chosen = datasets.find((d) => d.code === c.req.query('dataset'));
    const done = c.req.query('done');
    return c.html(
      <Layout title={operator.name} lang={lang} session={session} path="/console/whitelist">
        <p>
          <a href="/console/whitelist">← {WORDS[lang].title}</a>
        </p>
        <OperatorPage operator={operator} budgets={budgets} lang={lang} session={session} done={done && (DONE as readonly string[]).includes(done) ? done : undefined} datasets={datasets} chosen={chosen} />
      </Layout>,
    );
  });

  ui.post('/whitelist/:id/status', async (c) => {
    const f = await readForm(c);
    const input = validate(operatorStatusSchema, { status: f.status, reason: f.reason });
    await setOperatorStatus(verbContext(deps, c), c.req.param('id'), input);
    return c.redirect(`/console/whitelist/${c.req.param('id')}?done=${input.status}`, 303);
  });

  ui.post('/whitelist/:id/keys', async (c) => {
    const f = await readForm(c);
    const jwk = jsonOrThrow(f.jwk, 'jwk');
    await addOperatorKey(verbContext(deps, c), c.req.param('id'), (jwk && typeof jwk === 'object' ? jwk : {}) as Record<string, unknown>);
    return c.redirect(`/console/whitelist/${c.req.param('id')}?done=key-added`, 303);
  });

  ui.post('/whitelist/:id/keys/:kid/retire', async (c) => {
    await retireOperatorKey(verbContext(deps, c), c.req.param('id'), c.req.param('kid'));
    return c.redirect(`/console/whitelist/${c.req.param('id')}?done=key-retired`, 303);
  });

  ui.post('/whitelist/:id/licenses', async (c) => {
    const f = await readForm(c);
    const input = validate(grantLicenseSchema, {
      scenario: f.scenario,
      datasets: [{ code: f.dataset, fields: listOf(f.fields), operations: listOf(f.operations) }],
      validFrom: fromChinaLocalInput(f.validFrom),
      validTo: fromChinaLocalInput(f.validTo),
      ipAllowlist: listOf(f.ipAllowlist),
      privacyBudget: { epsilon: Number(f.epsilon) },
      maxJobsPerDay: Number(f.maxJobsPerDay),
    });
    await grantLicense(verbContext(deps, c), c.req.param('id'), input);
    return c.redirect(`/console/whitelist/${c.req.param('id')}?done=granted`, 303);
  });

  ui.post('/whitelist/:id/licenses/:licenseId', async (c) => {
    const f = await readForm(c);
    const input = validate(changeLicenseSchema, { status: f.status, reason: f.reason });
    await changeLicense(verbContext(deps, c), c.req.param('licenseId'), input);
    return c.redirect(`/console/whitelist/${c.req.param('id')}?done=licence-changed`, 303);
  });
}
