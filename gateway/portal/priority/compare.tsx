// Two years of priority lists side by side (/portal/priority-lists/compare?from=&to=&department=): per department the
// counts by status and open attribute of each year, and the items added, dropped and carried over — the same verb and
// the same numbers as GET /open/priority-lists/compare.
import { z } from 'zod';
import { comparePriorityYears, listPublicPriorityYears, PRIORITY_ITEM_STATUSES } from '../../../catalog-open/index.ts';
import { isAppError } from '../../../errors/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { parseQuery } from '../forms.ts';
import { useWords, viewOf } from '../lang.ts';
import { Badge, Layout, Notice } from '../layout.tsx';
import type { PortalApp } from '../routes.tsx';
import { wordOf } from '../words.ts';

type Comparison = Awaited<ReturnType<typeof comparePriorityYears>>;
type DepartmentComparison = Comparison['departments'][number];
type Counts = DepartmentComparison['from'];
type Ref = DepartmentComparison['added'][number];

/** A list's year as the API takes it: 2000..2100, else 400 naming the parameter. */
const year = z.coerce.number().int().min(2000).max(2100);
const compareQuery = z.object({ from: year, to: year, department: z.string().min(1).max(64).optional() });

const OPEN_TYPES = ['unconditional', 'conditional'] as const;

export function compareHref(from: number, to: number, department?: string): string {
  return `/portal/priority-lists/compare?from=${from}&to=${to}${department ? `&department=${encodeURIComponent(department)}` : ''}`;
}

/** The year and department pickers; every control labelled, plain GET so the result is a shareable address. */
function Picker(props: { years: number[]; departments: { code: string; name: string }[]; from?: number; to?: number; department?: string }) {
  const w = useWords().compare;
  const options = (selected: number | undefined) =>
    props.years.map((y) => (
      <option value={String(y)} selected={selected === y}>
        {y}
      </option>
    ));
  return (
    <form method="get" action="/portal/priority-lists/compare" class="search" aria-label={w.pick}>
      <label for="cmp-from">{w.from}</label>
      <select id="cmp-from" name="from">
        {options(props.from)}
      </select>
      <label for="cmp-to">{w.to}</label>
      <select id="cmp-to" name="to">
        {options(props.to)}
      </select>
      <label for="cmp-department">{w.department}</label>
      <select id="cmp-department" name="department">
        <option value="">{w.allDepartments}</option>
        {props.departments.map((d) => (
          <option value={d.code} selected={props.department === d.code}>
            {d.name}
          </option>
        ))}
      </select>
      <button type="submit">{w.submit}</button>
    </form>
  );
}

/** One year's cells of a department's row: items, each status, each open attribute (or "no list" across them). */
function CountCells(props: { counts: Counts; side: 'from' | 'to' }) {
  const W = useWords();
  const span = 1 + PRIORITY_ITEM_STATUSES.length + OPEN_TYPES.length;
  if (!props.counts) {
    return (
      <td colspan={span} class="muted" data-side={props.side}>
        {W.compare.noList}
      </td>
    );
  }
  const c = props.counts;
  return (
    <>
      <td class="num" data-side={props.side} data-count="items">
        {c.items}
      </td>
      {PRIORITY_ITEM_STATUSES.map((s) => (
        <td class="num" data-side={props.side} data-count={s}>
          {c.byStatus[s]}
        </td>
      ))}
      {OPEN_TYPES.map((t) => (
        <td class="num" data-side={props.side} data-count={t}>
          {c.byOpenType[t]}
        </td>
      ))}
    </>
  );
}

function SummaryTable(props: { result: Comparison }) {
  const W = useWords();
  const w = W.compare;
  const { from, to, departments } = props.result;
  const yearHeads = () => (
    <>
      <th scope="col" class="num">
        {w.items}
      </th>
      {PRIORITY_ITEM_STATUSES.map((s) => (
        <th scope="col" class="num">
          {wordOf(W.itemStatus, s)}
        </th>
      ))}
      {OPEN_TYPES.map((t) => (
        <th scope="col" class="num" title={wordOf(W.openType, t)}>
          {wordOf(w.openShort, t)}
        </th>
      ))}
    </>
  );
  const span = 1 + PRIORITY_ITEM_STATUSES.length + OPEN_TYPES.length;
  return (
    <div class="wide" tabindex={0} role="region" aria-label={w.summary}>
      <table class="compare-summary">
        <caption>{w.summary}</caption>
        <thead>
          <tr>
            <th scope="col" rowspan={2}>
              {w.department}
            </th>
            <th scope="colgroup" colspan={span}>
              {from}
            </th>
            <th scope="colgroup" colspan={span}>
              {to}
            </th>
            <th scope="col" rowspan={2} class="num">
              {w.added}
            </th>
            <th scope="col" rowspan={2} class="num">
              {w.dropped}
            </th>
            <th scope="col" rowspan={2} class="num">
              {w.carriedOver}
            </th>
          </tr>
          <tr>
            {yearHeads()}
            {yearHeads()}
          </tr>
        </thead>
        <tbody>
          {departments.map((d) => (
            <tr data-department={d.departmentCode}>
              <th scope="row">
                <a href={`#cmp-${d.departmentCode}`}>{d.department}</a>
              </th>
              <CountCells counts={d.from} side="from" />
              <CountCells counts={d.to} side="to" />
              <td class="num" data-count="added">
                {d.added.length}
              </td>
              <td class="num" data-count="dropped">
                {d.dropped.length}
              </td>
              <td class="num" data-count="carriedOver">
                {d.carriedOver.length}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RefRow(props: { item: Ref }) {
  const W = useWords();
  const i = props.item;
  return (
    <>
      <td class="num">{i.seq}</td>
      {/* only an opened item's dataset is in the public catalog: a planned one may name a dataset that is not open (a 404) */}
      <td>{i.datasetCode && i.status === 'opened' ? <a href={`/portal/datasets/${encodeURIComponent(i.datasetCode)}`}>{i.name}</a> : i.name}</td>
      <td>
        <Badge value={i.status}>{wordOf(W.itemStatus, i.status)}</Badge>
      </td>
    </>
  );
}

/** Items added or dropped: one year's number, name and status. */
function RefTable(props: { id: string; caption: string; items: Ref[] }) {
  const W = useWords();
  const w = W.compare;
  if (props.items.length === 0) {
    return (
      <p class="muted" id={props.id}>
        {props.caption}
        {W.colon}
        {w.none}
      </p>
    );
  }
  return (
    <table class="compare-items" id={props.id}>
      <caption>{`${props.caption} (${props.items.length})`}</caption>
      <thead>
        <tr>
          <th scope="col" class="num">
            {w.seq}
          </th>
          <th scope="col">{w.name}</th>
          <th scope="col">{w.status}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((i) => (
          <tr>
            <RefRow item={i} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CarriedTable(props: { id: string; from: number; to: number; pairs: DepartmentComparison['carriedOver'] }) {
  const W = useWords();
  const w = W.compare;
  if (props.pairs.length === 0) {
    return (
      <p class="muted" id={props.id}>
        {w.carriedItems}
        {W.colon}
        {w.none}
      </p>
    );
  }
  return (
    <table class="compare-items" id={props.id}>
      <caption>{`${w.carriedItems} (${props.pairs.length})`}</caption>
      <thead>
        <tr>
          <th scope="colgroup" colspan={3}>
            {w.fromItem(props.from)}
          </th>
          <th scope="colgroup" colspan={3}>
            {w.toItem(props.to)}
          </th>
        </tr>
        <tr>
          {[0, 1].map(() => (
            <>
              <th scope="col" class="num">
                {w.seq}
              </th>
              <th scope="col">{w.name}</th>
              <th scope="col">{w.status}</th>
            </>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.pairs.map((p) => (
          <tr>
            <RefRow item={p.from} />
            <RefRow item={p.to} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function comparePages(ui: PortalApp, deps: GatewayDeps) {
  const db = () => servicesOf(deps).database.db;

  ui.get('/priority-lists/compare', async (c) => {
    const view = viewOf(c);
    const W = view.W;
    const w = W.compare;
    const q = parseQuery(compareQuery, c);
    const years = (await listPublicPriorityYears(db())).items;
    const departments = [...new Map(years.flatMap((y) => y.departments).map((d) => [d.departmentCode, { code: d.departmentCode, name: d.department }])).values()].sort((a, b) =>
      a.code.localeCompare(b.code),
    );
    const picker = <Picker years={years.map((y) => y.year)} departments={departments} from={q.from} to={q.to} department={q.department} />;
    let result: Comparison;
    try {
      result = await comparePriorityYears(db(), { from: q.from, to: q.to, departmentCode: q.department });
    } catch (err) {
      if (!isAppError(err) || err.code !== 'NOT_FOUND') throw err;
      // which year (or the department) has no list, in the reader's language; the picker offers the years that do
      const parameter = (err.details as { parameter?: string } | undefined)?.parameter;
      const message = parameter === 'from' || parameter === 'to' ? w.noListYear(parameter, String(q[parameter])) : w.noListDepartment;
      return c.html(
        <Layout view={view} title={W.notFound} path="/portal/priority-lists">
          <Notice kind="error">{message}</Notice>
          {picker}
          <p>
            <a href="/portal/priority-lists">{w.back}</a>
          </p>
        </Layout>,
        404,
      );
    }
    return c.html(
      <Layout view={view} title={w.title(result.from, result.to)} path="/portal/priority-lists">
        {picker}
        <p class="muted">{w.matchNote}</p>
        <SummaryTable result={result} />
        {result.departments.map((d) => (
          <section id={`cmp-${d.departmentCode}`} aria-labelledby={`cmp-${d.departmentCode}-h`} class="compare-department" data-department={d.departmentCode}>
            <h2 id={`cmp-${d.departmentCode}-h`}>{d.department}</h2>
            <RefTable id={`cmp-${d.departmentCode}-added`} caption={w.addedItems} items={d.added} />
            <RefTable id={`cmp-${d.departmentCode}-dropped`} caption={w.droppedItems} items={d.dropped} />
            <CarriedTable id={`cmp-${d.departmentCode}-carried`} from={result.from} to={result.to} pairs={d.carriedOver} />
          </section>
        ))}
        <p>
          <a href="/portal/priority-lists">{w.back}</a>
        </p>
      </Layout>,
    );
  });
}
