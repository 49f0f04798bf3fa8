// Audit (security staff): the log with filters, live tail, entry detail, chain verification against the last signed
// checkpoint with a one-click verify, and export of the filtered view. Reads go through the store's audit functions
// after Cedar's ReadAudit decision, exactly as /security/audit does.
import type { Context } from 'hono';
import { AppError } from '../../../errors/index.ts';
import { AUDIT_LOG_RESOURCE } from '../../../policies/index.ts';
import {
  auditQuerySchema,
  createCheckpoint,
  latestCheckpoint,
  listAudit,
  verifyAudit,
  type AuditEntry,
  type AuditVerification,
} from '../../../store/index.ts';
import { auditExportResponse } from '../../audit-export.ts';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { validate } from '../forms.ts';
import { langOf, type Lang } from '../i18n.ts';
import { Csrf, Layout, Named, Notice, Time } from '../layout.tsx';
import { namesFor, type Names } from '../names.ts';
import { chinaSecond, fromChinaLocalInput } from '../../ui/time.ts';
import { Wide } from '../../ui/wide-table.tsx';
import type { ConsoleApp } from '../routes.tsx';
import { consoleVerbContext, type ConsoleEnv } from '../session.ts';
import { WORDS } from './words.ts';

const FILTER_KEYS = ['actor', 'action', 'resource', 'outcome', 'from', 'to'] as const;

/** The filters as typed in the form (kept for links), and as the store wants them. */
function filtersOf(c: Context<ConsoleEnv>) {
  const raw: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = c.req.query(key)?.trim();
    if (value) raw[key] = value;
  }
  const parsed = validate(auditQuerySchema, { ...raw, from: fromChinaLocalInput(raw.from), to: fromChinaLocalInput(raw.to), cursor: c.req.query('cursor') || undefined });
  const { limit: _limit, cursor, format: _format, ...filters } = parsed;
  return { raw, filters, cursor };
}

const query = (raw: Record<string, string>, extra: Record<string, string> = {}) => new URLSearchParams({ ...raw, ...extra }).toString();

async function authorize(deps: GatewayDeps, c: Context<ConsoleEnv>) {
  await consoleVerbContext(deps, c).authorize({ action: 'ReadAudit', resource: AUDIT_LOG_RESOURCE });
}

/** Names for every staff member and operator the entries mention (as actor, or as an `operator:` resource). */
export function auditNames(db: Parameters<typeof namesFor>[0], entries: readonly AuditEntry[]): Promise<Names> {
  return namesFor(db, {
    staff: entries.filter((e) => e.actor.type === 'staff').map((e) => e.actor.id),
    operators: entries.flatMap((e) => [e.actor.type === 'operator' ? e.actor.id : null, e.resource?.startsWith('operator:') ? e.resource.slice(9) : null]),
  });
}

/** An action in words, its code beside it (the filter takes the code). */
function ActionWords(props: { action: string; lang: Lang }) {
  const w = WORDS[props.lang];
  const words = w.actions[props.action] ?? (props.action.startsWith('authz.') ? w.authz : null);
  return (
    <>
      {words} <code class="id">{props.action}</code>
    </>
  );
}

function Actor(props: { actor: AuditEntry['actor']; names: Names; lang: Lang }) {
  const { type, id } = props.actor;
  const name = type === 'staff' ? props.names.staff(id) : type === 'operator' ? props.names.operator(id) : null;
  return (
    <>
      {WORDS[props.lang].actorTypes[type] ?? type}
      {id ? ' · ' : ''}
      {id ? <Named name={name} id={id} /> : null}
    </>
  );
}

function Resource(props: { resource: string | null; names: Names }) {
  const r = props.resource;
  if (!r) return null;
  const operator = r.startsWith('operator:') ? props.names.operator(r.slice(9)) : null;
  return operator ? (
    <>
      {operator} <code class="id">{r}</code>
    </>
  ) : (
    <code class="id">{r}</code>
  );
}

function EntryRow(props: { entry: AuditEntry; names: Names; lang: Lang }) {
  const e = props.entry;
  const w = WORDS[props.lang];
  return (
    <tr>
      <td class="num">
        <a href={`/console/audit/${e.seq}`}>{e.seq}</a>
      </td>
      <td>
        <time datetime={e.at}>{chinaSecond(e.at)}</time>
      </td>
      <td>
        <Actor actor={e.actor} names={props.names} lang={props.lang} />
      </td>
      <td>
        <ActionWords action={e.action} lang={props.lang} />
      </td>
      <td>
        <Resource resource={e.resource} names={props.names} />
      </td>
      <td>
        <span class={`badge ${e.outcome}`}>{w.outcomes[e.outcome] ?? e.outcome}</span>
      </td>
      <td>{e.ip ?? ''}</td>
    </tr>
  );
}

function Verification(props: { result: AuditVerification | null; lang: Lang }) {
  const w = WORDS[props.lang];
  const r = props.result;
  if (!r) return null;
  return r.valid ? (
    <Notice kind="ok">
      {w.valid} · {w.entries} {r.entries}
    </Notice>
  ) : (
    <Notice kind="error">
      {w.invalid.replace('{seq}', String(r.firstInvalidSeq))} · {w.reason}: {r.reason}
    </Notice>
  );
}

export function auditPages(ui: ConsoleApp, deps: GatewayDeps) {
  const page = async (c: Context<ConsoleEnv>, verification: AuditVerification | null) => {
    await authorize(deps, c);
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const { raw, filters, cursor } = filtersOf(c);
    const db = servicesOf(deps).database.db;
    const [entries, checkpoint] = await Promise.all([listAudit(db, filters, { limit: 50, cursor }), latestCheckpoint(db)]);
    const names = await auditNames(db, entries.items);
    const newest = entries.items[0]?.seq ?? 0;
    const signed = Number(c.req.query('signed'));
    return c.html(
      <Layout title={w.title} lang={lang} session={session} path="/console/audit">
        <section aria-labelledby="chain">
          <h2 id="chain">{w.chain}</h2>
          <Verification result={verification} lang={lang} />
          {Number.isSafeInteger(signed) && signed > 0 && <Notice kind="ok">{w.checkpointSigned(signed)}</Notice>}
          <p>
            {checkpoint ? (
              <>
                {w.checkpoint}: #{checkpoint.size} · <Time iso={checkpoint.at} lang={lang} /> · <code>{checkpoint.headHash.slice(0, 16)}…</code>
              </>
            ) : (
              w.noCheckpoint
            )}
          </p>
          <form method="post" action="/console/audit/verify" class="inline">
            <Csrf session={session} />
            <button type="submit">{w.verifyNow}</button>
          </form>{' '}
          <form method="post" action="/console/audit/checkpoints" class="inline" data-confirm={w.confirmCheckpoint}>
            <Csrf session={session} />
            <button type="submit" class="secondary">
              {w.signCheckpoint}
            </button>
          </form>
        </section>

        <form method="get" action="/console/audit" class="filters">
          {(['actor', 'action', 'resource'] as const).map((key) => (
            <label>
              {w[key]}
              <input name={key} value={raw[key] ?? ''} maxlength={500} />
            </label>
          ))}
          <label>
            {w.outcome}
            <select name="outcome">
              <option value="">{w.any}</option>
              {['allow', 'deny', 'error', 'ok'].map((o) => (
                <option value={o} selected={raw.outcome === o}>
                  {w.outcomes[o]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {w.from}
            <input name="from" type="datetime-local" value={raw.from ?? ''} />
          </label>
          <label>
            {w.to}
            <input name="to" type="datetime-local" value={raw.to ?? ''} />
          </label>
          <button type="submit">{w.filter}</button>
        </form>
        <p>
          {w.export}: <a href={`/console/audit/export?${query(raw, { format: 'jsonl' })}`}>JSONL</a> ·{' '}
          <a href={`/console/audit/export?${query(raw, { format: 'csv' })}`}>CSV</a> ·{' '}
          <label>
            <input type="checkbox" data-live-toggle checked /> {w.liveTail}
          </label>
        </p>
        <Wide label={w.title}>
        <table>
          <thead>
            <tr>
              <th class="num">#</th>
              <th>{w.at}</th>
              <th>{w.actor}</th>
              <th>{w.action}</th>
              <th>{w.resource}</th>
              <th>{w.outcome}</th>
              <th>{w.ip}</th>
            </tr>
          </thead>
          <tbody data-live-tail={cursor ? undefined : `/console/audit/tail?${query(raw, { after: String(newest) })}`}>
            {entries.items.map((entry) => (
              <EntryRow entry={entry} names={names} lang={lang} />
            ))}
          </tbody>
        </table>
        </Wide>
        {entries.nextCursor && (
          <p class="pager">
            <a href={`/console/audit?${query(raw, { cursor: entries.nextCursor })}`}>{w.next}</a>
          </p>
        )}
      </Layout>,
    );
  };

  ui.get('/audit', (c) => page(c, null));

  ui.post('/audit/verify', async (c) => {
    await authorize(deps, c);
    const { database, checkpointKey } = servicesOf(deps);
    const key = await checkpointKey();
    return page(c, await verifyAudit(database, { trustedPublicKey: key.publicKey }));
  });

  ui.post('/audit/checkpoints', async (c) => {
    await authorize(deps, c);
    const { database, checkpointKey } = servicesOf(deps);
    const checkpoint = await createCheckpoint(database, await checkpointKey());
    return c.redirect(`/console/audit?signed=${checkpoint.size}`, 303);
  });

  // rows newer than `after`, as HTML for the live tail; at most 100 per poll (a busier log shows the newest 100)
  ui.get('/audit/tail', async (c) => {
    await authorize(deps, c);
    const after = Number(c.req.query('after') ?? '0');
    if (!Number.isSafeInteger(after) || after < 0) throw new AppError('BAD_REQUEST', 'after must be a sequence number');
    const { raw, filters } = filtersOf(c);
    const entries = await listAudit(servicesOf(deps).database.db, filters, { limit: 100 });
    const fresh = entries.items.filter((e) => e.seq > after);
    const newest = fresh[0]?.seq ?? after;
    const names = await auditNames(servicesOf(deps).database.db, fresh);
    const lang = langOf(c);
    c.header('x-next-tail', `/console/audit/tail?${query(raw, { after: String(newest) })}`);
    return c.html(
      <>
        {fresh.map((entry) => (
          <EntryRow entry={entry} names={names} lang={lang} />
        ))}
      </>,
    );
  });

  ui.get('/audit/export', async (c) => {
    await authorize(deps, c);
    const { filters } = filtersOf(c);
    const format = c.req.query('format') === 'csv' ? 'csv' : 'jsonl';
    return auditExportResponse(c, servicesOf(deps).database.db, filters, format);
  });

  ui.get('/audit/:seq{[0-9]+}', async (c) => {
    await authorize(deps, c);
    const lang = langOf(c);
    const w = WORDS[lang];
    const seq = Number(c.req.param('seq'));
    const found = await listAudit(servicesOf(deps).database.db, {}, { limit: 1, cursor: String(seq + 1) });
    const entry = found.items[0];
    if (!entry || entry.seq !== seq) throw new AppError('NOT_FOUND', 'no audit entry with this number');
    const names = await auditNames(servicesOf(deps).database.db, [entry]);
    return c.html(
      <Layout title={`${w.title} #${seq}`} lang={lang} session={c.get('session')} path="/console/audit">
        <p>
          <a href="/console/audit">← {w.title}</a>
        </p>
        <dl class="facts">
          <dt>{w.at}</dt>
          <dd>
            <Time iso={entry.at} lang={lang} />
          </dd>
          <dt>{w.actor}</dt>
          <dd>
            <Actor actor={entry.actor} names={names} lang={lang} />
          </dd>
          <dt>{w.action}</dt>
          <dd>
            <ActionWords action={entry.action} lang={lang} />
          </dd>
          <dt>{w.resource}</dt>
          <dd>
            <Resource resource={entry.resource} names={names} />
          </dd>
          <dt>{w.outcome}</dt>
          <dd>{w.outcomes[entry.outcome] ?? entry.outcome}</dd>
          <dt>{w.ip}</dt>
          <dd>{entry.ip ?? '—'}</dd>
          <dt>{w.requestId}</dt>
          <dd>
            <code>{entry.requestId ?? '—'}</code>
          </dd>
          <dt>{w.hash}</dt>
          <dd>
            <code class="hash">{entry.hash}</code>
          </dd>
        </dl>
        <details>
          <summary>{w.record}</summary>
          <pre>{JSON.stringify(entry, null, 2)}</pre>
        </details>
      </Layout>,
    );
  });
}
