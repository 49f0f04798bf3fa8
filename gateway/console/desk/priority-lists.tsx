// Steward desk: priority-list drafts edited item by item and published, with demand signals beside them.
import type { Context } from 'hono';
import {
  listPriorityListsVerb,
  notYetOpen,
  publishPriorityListVerb,
  savePriorityDraftVerb,
  showPriorityListVerb,
  type PriorityListItemInput,
} from '../../../catalog-open/index.ts';
import { AppError } from '../../../errors/index.ts';
import { listDatasets, UPDATE_CYCLES, type DatasetRecord } from '../../../store/index.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { chinaToday } from '../../ui/time.ts';
import { Wide } from '../../ui/wide-table.tsx';
import type { GatewayDeps } from '../../context.ts';
import { listOf, readForm } from '../forms.ts';
import { langOf } from '../i18n.ts';
import { Csrf, Layout, Notice } from '../layout.tsx';
import { SHELL } from '../i18n.ts';
import type { ConsoleApp } from '../routes.tsx';
import { consoleVerbContext, type ConsoleEnv } from '../session.ts';
import { day } from './shared.ts';
import { WORDS } from './words.ts';

/** Departments of the registry (code and name), for the list picker. */
function departmentsOf(datasets: readonly DatasetRecord[]): { code: string; name: string }[] {
  const byCode = new Map(datasets.map((d) => [d.departmentCode, d.department]));
  return [...byCode].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh'));
}

export function priorityListPages(ui: ConsoleApp, deps: GatewayDeps) {
  const registry = async () => (await listDatasets(servicesOf(deps).database.db, { limit: 500 })).items;

  ui.get('/priority-lists', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const { items } = await listPriorityListsVerb(consoleVerbContext(deps, c), {});
    const mine = session.staff.department ? items.filter((l) => l.department === session.staff.department) : items;
    const departments = departmentsOf(await registry()).filter((d) => !session.staff.department || d.name === session.staff.department);
    return c.html(
      <Layout title={w.lists.title} lang={lang} session={session} path="/console/priority-lists">
        {mine.length === 0 && <p class="muted">{w.lists.none}</p>}
        <Wide label={w.lists.title}>
        <table>
          <thead>
            <tr>
              <th>{w.lists.year}</th>
              <th>{w.lists.department}</th>
              <th>{w.lists.draft}</th>
              <th>{w.lists.published}</th>
              <th>{SHELL[lang].actions}</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((l) => (
              <tr>
                <td>{l.year}</td>
                <td>{l.department}</td>
                <td>{l.draft ? `${l.draft.items} ${w.lists.items} · ${day(l.draft.updatedAt)}` : '—'}</td>
                <td>{l.latestVersion ? `v${l.latestVersion} · ${day(l.publishedAt)}` : '—'}</td>
                <td>
                  <a href={`/console/priority-lists/${l.year}/${encodeURIComponent(l.departmentCode)}`}>{w.lists.open}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </Wide>
        <form method="get" action="/console/priority-lists/open" class="filters">
          <label>
            {w.lists.year}
            <input name="year" type="number" min="2000" max="2100" required value={String(Number(chinaToday().slice(0, 4)) + 1)} />
          </label>
          <label>
            {w.lists.department}
            <select name="department" required>
              {departments.map((d) => (
                <option value={d.code}>{d.name}</option>
              ))}
            </select>
          </label>
          <button type="submit">{w.lists.create}</button>
        </form>
      </Layout>,
    );
  });

  ui.get('/priority-lists/open', (c) => {
    const year = Number(c.req.query('year'));
    const department = (c.req.query('department') ?? '').trim();
    if (!Number.isInteger(year) || year < 2000 || year > 2100 || !department) throw new AppError('BAD_REQUEST', 'a year (2000–2100) and a department code are required');
    return c.redirect(`/console/priority-lists/${year}/${encodeURIComponent(department)}`, 303);
  });

  const listKey = (c: Context<ConsoleEnv>) => {
    const year = Number(c.req.param('year'));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('BAD_REQUEST', 'the year must be 2000–2100');
    return { year, departmentCode: decodeURIComponent(c.req.param('department') ?? '') };
  };

  /** The draft's items as the verb accepts them back (the stored shape minus computed fields). */
  const draftItems = async (c: Context<ConsoleEnv>): Promise<PriorityListItemInput[]> => {
    const { year, departmentCode } = listKey(c);
    try {
      const detail = await showPriorityListVerb(consoleVerbContext(deps, c), { year, departmentCode });
      const base = detail.draft?.items ?? detail.versions.at(-1)?.items ?? [];
      return base.map(({ status: _s, link: _l, department: _d, departmentCode: _dc, ...item }) => item as PriorityListItemInput);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return [];
      throw err;
    }
  };

  ui.get('/priority-lists/:year/:department', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const l = w.lists;
    const session = c.get('session');
    const { year, departmentCode } = listKey(c);
    let detail: Awaited<ReturnType<typeof showPriorityListVerb>> | null = null;
    try {
      detail = await showPriorityListVerb(consoleVerbContext(deps, c), { year, departmentCode });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
    }
    const items = detail?.draft?.items ?? [];
    const base = `/console/priority-lists/${year}/${encodeURIComponent(departmentCode)}`;
    const sep = lang === 'zh' ? '、' : ', ';
    // the department's datasets, to link an item to (once it opens, its status follows the catalog)
    const ownDatasets = (await registry()).filter((d) => d.departmentCode === departmentCode);
    return c.html(
      <Layout title={`${year} ${detail?.department ?? departmentCode} · ${l.title}`} lang={lang} session={session} path="/console/priority-lists">
        {c.req.query('done') === '1' && <Notice kind="ok">{w.done}</Notice>}
        <p>
          <a href="/console/priority-lists">← {l.title}</a>
        </p>
        <h2>{l.draft}</h2>
        <Wide label={l.draft}>
        <table>
          <thead>
            <tr>
              <th class="num">{l.seq}</th>
              <th>{l.theme}</th>
              <th>{l.name}</th>
              <th>{l.openType}</th>
              <th>{l.accessMethods}</th>
              <th>{l.formats}</th>
              <th>{l.updateCycle}</th>
              <th>{l.plannedDate}</th>
              <th>{w.status}</th>
              <th>{SHELL[lang].actions}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr>
                <td class="num">{item.seq}</td>
                <td>{item.theme}</td>
                <td>
                  {item.name}
                  <div class="muted">{item.summary}</div>
                </td>
                <td>{l.openTypes[item.openType]}</td>
                <td>{item.accessMethods.map((m) => l.accessMethodNames[m] ?? m).join(sep)}</td>
                <td>{item.formats.join(sep)}</td>
                <td>{l.cycles[item.updateCycle] ?? item.updateCycle}</td>
                <td>{item.plannedDate}</td>
                <td>
                  <span class={`badge ${item.status === 'opened' ? 'ok' : item.status === 'overdue' ? 'open' : 'pending'}`}>{l.itemStatus[item.status]}</span>
                </td>
                <td>
                  <form method="post" action={`${base}/items/${item.seq}/delete`} class="inline" data-confirm={l.confirmRemove(item.name)}>
                    <Csrf session={session} />
                    <button type="submit" class="secondary">
                      {l.remove}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </Wide>

        <form method="post" action={`${base}/items`} class="stack" data-confirm={l.confirmAdd}>
          <h2>{l.add}</h2>
          <Csrf session={session} />
          <label>
            {l.theme}
            <input name="theme" required maxlength={50} />
          </label>
          <label>
            {l.name}
            <input name="name" required maxlength={200} />
          </label>
          <label>
            {l.summary}
            <textarea name="summary" maxlength={2000}></textarea>
          </label>
          <label>
            {l.openType}
            <select name="openType">
              <option value="unconditional">{l.openTypes.unconditional}</option>
              <option value="conditional">{l.openTypes.conditional}</option>
            </select>
          </label>
          <fieldset>
            <legend>{l.accessMethods}</legend>
            <label>
              <input type="checkbox" name="accessMethods" value="download" checked /> {l.accessMethodNames.download}
            </label>
            <label>
              <input type="checkbox" name="accessMethods" value="api" /> {l.accessMethodNames.api}
            </label>
          </fieldset>
          <label>
            {l.formats}
            <input name="formats" required value="CSV, XLSX" />
          </label>
          <label>
            {l.updateCycle}
            <select name="updateCycle">
              {UPDATE_CYCLES.map((u) => (
                <option value={u} selected={u === 'monthly'}>
                  {l.cycles[u] ?? u}
                </option>
              ))}
            </select>
          </label>
          <label>
            {l.plannedDate}
            <input name="plannedDate" type="date" required />
          </label>
          <label>
            {l.demandSource}
            <input name="demandSource" maxlength={200} />
          </label>
          <label>
            {l.datasetCode}
            <select name="datasetCode">
              <option value="">{l.noDataset}</option>
              {ownDatasets.map((d) => (
                <option value={d.code}>
                  {d.name}（{d.code}）
                </option>
              ))}
            </select>
          </label>
          <label>
            {l.note}
            <input name="note" maxlength={1000} />
          </label>
          <button type="submit">{l.add}</button>
        </form>

        <form method="post" action={`${base}/publish`} class="stack" data-confirm={l.confirmPublish}>
          <h2>{l.publish}</h2>
          <Csrf session={session} />
          <label>
            {l.changeNote}
            <textarea name="changeNote" maxlength={2000}></textarea>
          </label>
          <button type="submit">{l.publish}</button>
        </form>

        <h2>{l.published}</h2>
        <ul>
          {(detail?.versions ?? []).map((v) => (
            <li>
              v{v.version} · {day(v.publishedAt)} · {v.items.length} {l.items}
              {v.changeNote ? ` · ${v.changeNote}` : ''}
            </li>
          ))}
        </ul>

        <h2>{l.demand}</h2>
        <Wide label={l.demand}>
        <table>
          <thead>
            <tr>
              <th>{l.demandCols.dataset}</th>
              <th class="num">{l.demandCols.applications}</th>
              <th class="num">{l.demandCols.jobs}</th>
              <th class="num">{l.demandCols.downloads}</th>
              <th class="num">{l.demandCols.feedback}</th>
              <th class="num">{l.demandCols.score}</th>
            </tr>
          </thead>
          <tbody>
            {(detail?.demand ?? [])
              .filter(notYetOpen)
              .sort((a, b) => b.score - a.score)
              .slice(0, 10)
              .map((d) => (
                <tr>
                  <td>
                    {d.name} <code class="id">{d.datasetCode}</code>
                    {d.listed ? <div class="muted">{l.alreadyListed}</div> : null}
                  </td>
                  <td class="num">{d.applications.approved + d.applications.rejected + d.applications.pending}</td>
                  <td class="num">{d.jobs.total}</td>
                  <td class="num">{d.downloads}</td>
                  <td class="num">{d.feedback.total}</td>
                  <td class="num">{d.score}</td>
                </tr>
              ))}
          </tbody>
        </table>
        </Wide>
      </Layout>,
    );
  });

  ui.post('/priority-lists/:year/:department/items', async (c) => {
    const { year, departmentCode } = listKey(c);
    const f = await readForm(c);
    const item: PriorityListItemInput = {
      theme: f.theme ?? '',
      name: f.name ?? '',
      summary: f.summary ?? '',
      openType: f.openType === 'conditional' ? 'conditional' : 'unconditional',
      accessMethods: listOf(f.accessMethods) as ('download' | 'api')[],
      formats: listOf(f.formats),
      updateCycle: (f.updateCycle ?? 'monthly') as PriorityListItemInput['updateCycle'],
      plannedDate: f.plannedDate ?? '',
      demandSource: f.demandSource ?? '',
      datasetCode: f.datasetCode || null,
      ...(f.note ? { note: f.note } : {}),
    };
    const items = [...(await draftItems(c)).map(({ seq: _seq, ...rest }) => rest), item];
    await savePriorityDraftVerb(consoleVerbContext(deps, c), { year, departmentCode, body: { items } });
    return c.redirect(`/console/priority-lists/${year}/${encodeURIComponent(departmentCode)}?done=1`, 303);
  });

  ui.post('/priority-lists/:year/:department/items/:seq/delete', async (c) => {
    const { year, departmentCode } = listKey(c);
    const seq = Number(c.req.param('seq'));
    const items = (await draftItems(c)).filter((i) => i.seq !== seq).map(({ seq: _seq, ...rest }) => rest);
    await savePriorityDraftVerb(consoleVerbContext(deps, c), { year, departmentCode, body: { items } });
    return c.redirect(`/console/priority-lists/${year}/${encodeURIComponent(departmentCode)}?done=1`, 303);
  });

  ui.post('/priority-lists/:year/:department/publish', async (c) => {
    const { year, departmentCode } = listKey(c);
    const f = await readForm(c);
    await publishPriorityListVerb(consoleVerbContext(deps, c), { year, departmentCode, body: f.changeNote ? { changeNote: f.changeNote } : {} });
    return c.redirect(`/console/priority-lists/${year}/${encodeURIComponent(departmentCode)}?done=1`, 303);
  });
}
