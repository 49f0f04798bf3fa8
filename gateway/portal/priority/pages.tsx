// Annual priority lists (年度政务数据开放重点清单): the years, and one year's lists with a chart of open attributes
// per department, the status counts, the items and download links to the API's JSON/CSV/XLSX exports.
import { z } from 'zod';
import { listPublicPriorityYears, PRIORITY_ITEM_STATUSES, showPublicPriorityYear } from '../../../catalog-open/index.ts';
import { AppError } from '../../../errors/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { BarChart } from '../../ui/charts.tsx';
import { Wide } from '../../ui/wide-table.tsx';
import { parseQuery } from '../forms.ts';
import { viewOf } from '../lang.ts';
import { Badge, day, Layout } from '../layout.tsx';
import type { PortalApp } from '../routes.tsx';
import { wordOf } from '../words.ts';
import { compareHref, comparePages } from './compare.tsx';
import { ItemsTable } from './items.tsx';

const yearQuery = z.object({ department: z.string().min(1).max(64).optional() });

/** A list's year as the API takes it (2000..2100); anything else is a malformed path (400). */
function yearOf(text: string | undefined): number {
  const year = /^\d{4}$/.test(text ?? '') ? Number(text) : NaN;
  if (!(year >= 2000 && year <= 2100)) throw new AppError('BAD_REQUEST', 'invalid path parameter year: a year from 2000 to 2100', { details: { parameter: 'year' } });
  return year;
}

export function priorityPages(ui: PortalApp, deps: GatewayDeps) {
  const db = () => servicesOf(deps).database.db;

  ui.get('/priority-lists', async (c) => {
    const years = (await listPublicPriorityYears(db())).items;
    const view = viewOf(c);
    const w = view.W.priority;
    // newest first: the link compares the two newest years
    const [newest, previous] = years;
    return c.html(
      <Layout view={view} title={w.title} path="/portal/priority-lists">
        <h2>{w.years}</h2>
        {years.length === 0 ? (
          <p class="muted">{w.noYears}</p>
        ) : (
          <ul class="years">
            {years.map((y) => (
              <li>
                <a href={`/portal/priority-lists/${y.year}`}>{w.year(y.year)}</a> <span class="muted">{w.itemsOf(y.items, y.departments.length)}</span>
              </li>
            ))}
          </ul>
        )}
        {newest && previous && (
          <p>
            <a href={compareHref(previous.year, newest.year)} class="compare">
              {w.compareLink(previous.year, newest.year)}
            </a>
          </p>
        )}
      </Layout>,
    );
  });

  // before /:year, so that "compare" is never read as a year
  comparePages(ui, deps);

  ui.get('/priority-lists/:year', async (c) => {
    const year = yearOf(c.req.param('year'));
    const { department } = parseQuery(yearQuery, c);
    const [lists, years] = await Promise.all([showPublicPriorityYear(db(), { year, departmentCode: department }), listPublicPriorityYears(db())]);
    const allDepartments = years.items.find((y) => y.year === year)?.departments ?? [];
    const items = lists.departments.flatMap((d) => d.items);
    const byDepartment = (name: string, key: string, pick: 'openType' | 'status') =>
      lists.departments.find((d) => d.department === name)?.items.filter((i) => i[pick] === key).length ?? 0;
    const statusTotal = (s: string) => items.filter((i) => i.status === s).length;
    const exportHref = (format: string) => `/open/priority-lists/${year}?format=${format}${department ? `&department=${encodeURIComponent(department)}` : ''}`;
    const names = lists.departments.map((d) => d.department);
    const view = viewOf(c);
    const W = view.W;
    const w = W.priority;
    // the year before, if it has a list; else the next one
    const other = years.items.find((y) => y.year < year)?.year ?? [...years.items].reverse().find((y) => y.year > year)?.year;
    const [from, to] = other === undefined ? [] : other < year ? [other, year] : [year, other];
    return c.html(
      <Layout view={view} title={w.year(year)} path="/portal/priority-lists">
        <form method="get" action={`/portal/priority-lists/${year}`} class="search">
          <label for="department">{w.department}</label>
          <select id="department" name="department">
            <option value="">{w.allDepartments}</option>
            {allDepartments.map((d) => (
              <option value={d.departmentCode} selected={department === d.departmentCode}>
                {d.department}
              </option>
            ))}
          </select>
          <button type="submit">{w.show}</button>
        </form>
        <p class="muted">
          {w.asOf(lists.asOf)} · {w.itemsOf(items.length, lists.departments.length)}
        </p>
        {from !== undefined && to !== undefined && (
          <p>
            <a href={compareHref(from, to, department)} class="compare">
              {w.compareLink(from, to)}
            </a>
          </p>
        )}
        <p class="exports">
          {w.downloadAs}
          {W.colon}
          {(['json', 'csv', 'xlsx'] as const).map((f) => (
            <a href={exportHref(f)} class="download" data-format={f}>
              {f.toUpperCase()}
            </a>
          ))}
        </p>
        <div class="cards">
          <section class="card">
            <BarChart
              title={w.chart}
              series={(['unconditional', 'conditional'] as const).map((key) => ({ key, label: wordOf(W.openType, key) }))}
              rows={names.map((name) => ({ key: name, label: name, values: { unconditional: byDepartment(name, 'unconditional', 'openType'), conditional: byDepartment(name, 'conditional', 'openType') } }))}
              empty={w.noYears}
            />
          </section>
          <section class="card">
            <h2>{w.statusCounts}</h2>
            <table class="status-counts">
              <thead>
                <tr>
                  <th scope="col">{w.department}</th>
                  {PRIORITY_ITEM_STATUSES.map((s) => (
                    <th scope="col" class="num">
                      <Badge value={s}>{wordOf(W.itemStatus, s)}</Badge>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {names.map((name) => (
                  <tr>
                    <th scope="row">{name}</th>
                    {PRIORITY_ITEM_STATUSES.map((s) => (
                      <td class="num">{byDepartment(name, s, 'status')}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{w.itemsOf(items.length, names.length)}</th>
                  {PRIORITY_ITEM_STATUSES.map((s) => (
                    <td class="num" data-status={s}>
                      {statusTotal(s)}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </section>
        </div>
        {lists.departments.map((list) => (
          <section aria-label={list.department}>
            <h2>{list.department}</h2>
            <p class="muted">
              {w.version(list.version, day(list.publishedAt))}
              {list.changeNote ? ` · ${w.changeNote}${W.colon}${list.changeNote}` : ''}
            </p>
            <Wide label={W.tableRegion(`${list.department} · ${w.title}`)}>
              <ItemsTable items={list.items} />
            </Wide>
          </section>
        ))}
      </Layout>,
    );
  });
}
