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
import { localDateTime, validate } from '../forms.ts';
import { langOf, type Lang } from '../i18n.ts';
import { Csrf, Layout, Notice } from '../layout.tsx';
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
  const parsed = validate(auditQuerySchema, { ...raw, from: localDateTime(raw.from), to: localDateTime(raw.to), cursor: c.req.query('cursor') || undefined });
  const { limit: _limit, cursor, format: _format, ...filters } = parsed;
  return { raw, filters, cursor };
}

const query = (raw: Record<string, string>, extra: Record<string, string> = {}) => new URLSearchParams({ ...raw, ...extra }).toString();

async function authorize(deps: GatewayDeps, c: Context<ConsoleEnv>) {
  await consoleVerbContext(deps, c).authorize({ action: 'ReadAudit', resource: AUDIT_LOG_RESOURCE });
}

function EntryRow(props: { entry: AuditEntry }) {
  const e = props.entry;
  return (
    <tr>
      <td class="num">
        <a href={`/console/audit/${e.seq}`}>{e.seq}</a>
      </td>
      <td>{e.at.slice(0, 19).replace('T', ' ')}</td>
      <td>
        {e.actor.type}
        {e.actor.id ? `:${e.actor.id}` : ''}
      </td>
      <td>{e.action}</td>
      <td>{e.resource ?? ''}</td>
      <td>
        <span class={`badge ${e.outcome}`}>{e.outcome}</span>
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
    const newest = entries.items[0]?.seq ?? 0;
    return c.html(
      <Layout title={w.title} lang={lang} session={session} path="/console/audit">
        <section aria-labelledby="chain">
          <h2 id="chain">{w.chain}</h2>
          <Verification result={verification} lang={lang} />
          <p>
            {checkpoint ? (
              <>
                {w.checkpoint}: #{checkpoint.size} · {checkpoint.at.slice(0, 19).replace('T', ' ')} · <code>{checkpoint.headHash.slice(0, 16)}…</code>
              </>
            ) : (
              w.noCheckpoint
            )}
          </p>
          <form method="post" action="/console/audit/verify" class="inline">
            <Csrf session={session} />
            <button type="submit">{w.verifyNow}</button>
          </form>{' '}
          <form method="post" action="/console/audit/checkpoints" class="inline">
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
                  {o}
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
              <EntryRow entry={entry} />
            ))}
          </tbody>
        </table>
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
    await createCheckpoint(database, await checkpointKey());
    return c.redirect('/console/audit', 303);
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
    c.header('x-next-tail', `/console/audit/tail?${query(raw, { after: String(newest) })}`);
    return c.html(
      <>
        {fresh.map((entry) => (
          <EntryRow entry={entry} />
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
    return c.html(
      <Layout title={`${w.title} #${seq}`} lang={lang} session={c.get('session')} path="/console/audit">
        <p>
          <a href="/console/audit">← {w.title}</a>
        </p>
        <pre>{JSON.stringify(entry, null, 2)}</pre>
      </Layout>,
    );
  });
}
