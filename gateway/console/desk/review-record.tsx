// What a steward judges in a review: the tables and models the job would release, each cell with the checks' verdict
// (released, or withheld and why), and every automatic check with its outcome. Rendered from the data of
// GET /steward/reviews as it is and as it is becoming: tables and models are read from the release record or, where
// the record does not carry them, from the output; unknown fields are ignored, a 95 % interval beside a value is shown
// when a cell has one, and approvals already given are listed. Nothing here trusts the shape: a missing part is
// simply not drawn, and the raw record stays one click away.
import type { Child } from 'hono/jsx';
import { CHECK_WORDS, say } from '../../ui/disclosure-words.ts';
import type { Lang } from '../i18n.ts';
import { REVIEW_WORDS } from './review-words.ts';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Most entries drawn per table; a larger table says how many more there are. */
const MAX_ENTRIES = 2000;

/** A released value's 95 % interval, whichever shape the record gives it: [lo, hi], {lower, upper} or {low, high}. */
export function intervalOf(entry: Json): [number, number] | null {
  for (const key of ['interval', 'ci95', 'confidenceInterval', 'interval95', 'ci']) {
    const v = entry[key];
    if (Array.isArray(v) && v.length === 2 && num(v[0]) !== null && num(v[1]) !== null) return [v[0] as number, v[1] as number];
    const o = obj(v);
    if (o) {
      const lo = num(o.lower ?? o.low ?? o.lo);
      const hi = num(o.upper ?? o.high ?? o.hi);
      if (lo !== null && hi !== null) return [lo, hi];
    }
  }
  return null;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6))));

/** One entry: its value (or a dash when withheld), its 95 % interval, and the verdict in words. */
function Entry(props: { entry: Json | null; lang: Lang }) {
  const w = REVIEW_WORDS[props.lang];
  const c = CHECK_WORDS[props.lang];
  const e = props.entry;
  if (!e) return <span class="muted">—</span>;
  const value = num(e.value);
  const reason = str(e.suppressed);
  const interval = intervalOf(e);
  return (
    <>
      <span class="value">{value === null ? '—' : fmt(value)}</span>
      {interval && (
        <span class="interval">
          {' '}
          {w.interval(fmt(interval[0]), fmt(interval[1]))}
        </span>
      )}{' '}
      {reason ? <span class="badge deny">{say(c.suppressed, reason)}</span> : value === null ? <span class="badge">{w.noValue}</span> : <span class="badge allow">{w.released}</span>}
    </>
  );
}

const labelText = (l: unknown, lang: Lang) => (l === null || l === undefined ? REVIEW_WORDS[lang].emptyLabel : String(l));
const sameLabels = (a: unknown, b: readonly unknown[]) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);

/** A two-way table as a grid: its row and column labels, the cells, and the totals when released with them. */
function Grid(props: { table: Json; lang: Lang; caption: Child }) {
  const w = REVIEW_WORDS[props.lang];
  const rows = arr(props.table.rowLabels);
  const columns = arr(props.table.columnLabels);
  const cells = arr(props.table.cells).map(obj).filter((x): x is Json => x !== null);
  const totals = obj(props.table.totals);
  const rowTotals = arr(totals?.rows).map(obj);
  const columnTotals = arr(totals?.columns).map(obj);
  const cell = (r: unknown, col: unknown) => cells.find((e) => sameLabels(e.labels, [r, col])) ?? null;
  return (
    <table class="review-grid">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <td></td>
          {columns.map((col) => (
            <th scope="col">{labelText(col, props.lang)}</th>
          ))}
          {totals && <th scope="col">{w.total}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr>
            <th scope="row">{labelText(r, props.lang)}</th>
            {columns.map((col) => (
              <td>
                <Entry entry={cell(r, col)} lang={props.lang} />
              </td>
            ))}
            {totals && (
              <td>
                <Entry entry={rowTotals[i] ?? null} lang={props.lang} />
              </td>
            )}
          </tr>
        ))}
        {totals && (
          <tr>
            <th scope="row">{w.total}</th>
            {columns.map((_, j) => (
              <td>
                <Entry entry={columnTotals[j] ?? null} lang={props.lang} />
              </td>
            ))}
            <td>
              <Entry entry={obj(totals.all)} lang={props.lang} />
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** Any other table: one row per entry, its labels by dimension, then the value and verdict. */
function List(props: { table: Json; lang: Lang; caption: Child }) {
  const w = REVIEW_WORDS[props.lang];
  const dims = arr(props.table.dims).map((d) => String(d));
  const cells = arr(props.table.cells).map(obj).filter((x): x is Json => x !== null);
  const total = obj(obj(props.table.totals)?.all);
  const shown = cells.slice(0, MAX_ENTRIES);
  return (
    <>
      <table class="review-list">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {dims.map((d) => (
              <th scope="col">{d}</th>
            ))}
            <th scope="col">{w.valueAndVerdict}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr>
              {dims.map((_, i) => (
                <td>{labelText(arr(e.labels)[i], props.lang)}</td>
              ))}
              <td>
                <Entry entry={e} lang={props.lang} />
              </td>
            </tr>
          ))}
          {total && (
            <tr>
              <th scope="row" colspan={Math.max(1, dims.length)}>
                {w.total}
              </th>
              <td>
                <Entry entry={total} lang={props.lang} />
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {cells.length > shown.length && <p class="muted">{w.more(cells.length - shown.length)}</p>}
    </>
  );
}

function TableView(props: { table: Json; lang: Lang }) {
  const w = REVIEW_WORDS[props.lang];
  const t = props.table;
  const kind = str(t.kind);
  const measure = str(t.measure);
  const noise = obj(t.noise);
  const rounded = num(t.roundedTo);
  const omitted = num(t.omitted) ?? 0;
  const cells = arr(t.cells).map(obj).filter((x): x is Json => x !== null);
  const withheld = cells.filter((e) => str(e.suppressed) !== null).length;
  const caption = (
    <>
      {str(t.name) ?? w.unnamed} · {kind ? (w.kinds[kind] ?? kind) : ''}
      {measure ? ` · ${measure}` : ''}
    </>
  );
  const grid = arr(t.rowLabels).length > 0 && arr(t.columnLabels).length > 0 && arr(t.dims).length === 2;
  return (
    <section class="review-table" data-table={str(t.name) ?? ''}>
      <p class="muted">
        {w.entries(cells.length, withheld)}
        {omitted > 0 ? ` · ${w.omitted(omitted)}` : ''}
        {noise ? ` · ${w.noise(str(noise.mechanism) ?? '', num(noise.epsilon) !== null ? `ε = ${num(noise.epsilon)}` : num(noise.rho) !== null ? `ρ = ${num(noise.rho)}` : null)}` : ''}
        {rounded !== null && rounded > 1 ? ` · ${w.rounded(rounded)}` : ''}
      </p>
      <div class="wide" role="region" aria-label={w.tableRegion(str(t.name) ?? w.unnamed)} tabindex={0}>
        {grid ? <Grid table={t} lang={props.lang} caption={caption} /> : <List table={t} lang={props.lang} caption={caption} />}
      </div>
    </section>
  );
}

const intervalText = (v: unknown) => {
  const i = Array.isArray(v) ? intervalOf({ interval: v }) : null;
  return i ? `${fmt(i[0])} – ${fmt(i[1])}` : '—';
};

function ModelView(props: { model: Json; lang: Lang }) {
  const w = REVIEW_WORDS[props.lang];
  const m = props.model;
  const name = str(m.name) ?? w.unnamed;
  const type = str(m.model);
  if (m.withheld === true) {
    return (
      <section class="review-model" data-model={name}>
        <h4>
          {name} · {type ? (w.models[type] ?? type) : ''} <span class="badge deny">{w.withheld}</span>
        </h4>
        <ul>
          {arr(m.problems).map((p) => (
            <li>{w.problems[String(p)] ?? String(p)}</li>
          ))}
        </ul>
      </section>
    );
  }
  const terms = arr(m.terms).map(String);
  const coefficients = arr(m.coefficients);
  const errors = arr(m.standardErrors);
  const intervals = arr(m.intervals);
  const facts: [string, unknown][] = [
    [w.n, m.n],
    [w.contributors, m.contributors],
    [w.residualDf, m.residualDf],
    [w.rSquared, m.rSquared],
    [w.deviance, m.deviance],
  ];
  return (
    <section class="review-model" data-model={name}>
      <div class="wide" role="region" aria-label={w.tableRegion(name)} tabindex={0}>
        <table>
          <caption>
            {name} · {type ? (w.models[type] ?? type) : ''} <span class="badge allow">{w.released}</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">{w.term}</th>
              <th scope="col" class="num">
                {w.coefficient}
              </th>
              <th scope="col" class="num">
                {w.standardError}
              </th>
              {intervals.length > 0 && (
                <th scope="col" class="num">
                  {w.interval95}
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {terms.map((term, i) => (
              <tr>
                <th scope="row">{term}</th>
                <td class="num">{num(coefficients[i]) === null ? '—' : fmt(coefficients[i] as number)}</td>
                <td class="num">{num(errors[i]) === null ? '—' : fmt(errors[i] as number)}</td>
                {intervals.length > 0 && <td class="num">{intervalText(intervals[i])}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">
        {facts
          .filter(([, v]) => num(v) !== null)
          .map(([k, v]) => `${k} ${fmt(v as number)}`)
          .join(' · ')}
      </p>
    </section>
  );
}

/** A check's details as a short line of counts and names (the record holds no data values), keys in words. */
function detailLine(details: Json | null, lang: Lang): string {
  if (!details) return '';
  const w = REVIEW_WORDS[lang];
  const value = (v: unknown) => (v === true ? w.yes : v === false ? w.no : String(v));
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && (typeof v !== 'object' || Array.isArray(v)))
    .slice(0, 8)
    .map(([k, v]) => `${w.detailKeys[k] ?? k}: ${Array.isArray(v) ? (v.length === 0 ? '—' : v.slice(0, 5).map(value).join(', ') + (v.length > 5 ? '…' : '')) : value(v)}`)
    .join(' · ');
}

function Checks(props: { checks: unknown[]; lang: Lang }) {
  const w = REVIEW_WORDS[props.lang];
  const c = CHECK_WORDS[props.lang];
  const checks = props.checks.map(obj).filter((x): x is Json => x !== null && typeof x.check === 'string');
  if (checks.length === 0) return <p class="muted">{w.noChecks}</p>;
  return (
    <div class="wide" role="region" aria-label={w.tableRegion(w.checks)} tabindex={0}>
      <table class="review-checks">
        <caption>{w.checks}</caption>
        <thead>
          <tr>
            <th scope="col">{w.check}</th>
            <th scope="col">{w.outcome}</th>
            <th scope="col">{w.details}</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((k) => (
            <tr data-check={String(k.check)}>
              <th scope="row">{say(c.checks, String(k.check))}</th>
              <td>
                <span class={`badge ${k.outcome === 'fail' ? 'deny' : k.outcome === 'applied' ? 'review' : 'allow'}`}>{say(c.outcomes, String(k.outcome ?? ''))}</span>
              </td>
              <td class="muted">{detailLine(obj(k.details), props.lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The release under review: tables and models with per-entry verdicts, then the checks, then the raw record. */
export function ReleaseUnderReview(props: {
  record: unknown;
  output: unknown;
  lang: Lang;
  approvals?: { by: string; at: string | null }[];
  /** approvals a release needs (two for a release without DP), when the review says */
  approvalsNeeded?: number | null;
  /** the operator's reason for a release without DP, when it is one */
  withoutDp?: string | null;
}) {
  const w = REVIEW_WORDS[props.lang];
  const record = obj(props.record) ?? {};
  const output = obj(props.output) ?? {};
  const tables = (arr(record.tables).length ? arr(record.tables) : arr(output.tables)).map(obj).filter((x): x is Json => x !== null);
  const models = (arr(record.models).length ? arr(record.models) : arr(output.models)).map(obj).filter((x): x is Json => x !== null);
  const epsilon = num(record.epsilonSpent);
  return (
    <div class="release">
      <p>
        {w.outcome}
        {props.lang === 'zh' ? '：' : ': '}
        {w.outcomes[str(record.outcome) ?? ''] ?? str(record.outcome) ?? '—'}
        {epsilon !== null ? ` · ${w.epsilon(fmt(epsilon))}` : ''}
        {str(record.policyVersion) ? ` · ${w.policy} ${str(record.policyVersion)}` : ''}
      </p>
      {props.withoutDp !== undefined && props.withoutDp !== null && (
        <p class="notice error" role="note">
          {w.notDp}
          {props.withoutDp}
        </p>
      )}
      {(props.approvals?.length ?? 0) > 0 || props.approvalsNeeded ? (
        <p>
          {props.approvalsNeeded ? w.approvals(props.approvals?.length ?? 0, props.approvalsNeeded) : ''}
          {(props.approvals?.length ?? 0) > 0 ? `${props.approvalsNeeded ? ' · ' : ''}${w.approvedBy}${props.approvals!.map((a) => a.by).join(props.lang === 'zh' ? '、' : ', ')}` : ''}
        </p>
      ) : null}
      <h3>{w.toRelease}</h3>
      {tables.length === 0 && models.length === 0 ? (
        <p class="notice ok" role="status">
          {w.nothingToShow}
        </p>
      ) : (
        <>
          {tables.map((t) => (
            <TableView table={t} lang={props.lang} />
          ))}
          {models.map((m) => (
            <ModelView model={m} lang={props.lang} />
          ))}
        </>
      )}
      <h3>{w.checks}</h3>
      <Checks checks={arr(record.checks)} lang={props.lang} />
      <details>
        <summary>{w.raw}</summary>
        <pre>{JSON.stringify({ record: props.record, output: props.output }, null, 2).slice(0, 50_000)}</pre>
      </details>
    </div>
  );
}
