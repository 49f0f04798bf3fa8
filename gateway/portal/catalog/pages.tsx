// The catalog: a search box, facets with counts (links that add or remove one filter), the results and a cursor
// pager. Every state is a plain URL (/portal/datasets?q=企业&department=…), so it can be bookmarked and shared.
import { z } from 'zod';
import { CATALOG_SORTS, DOWNLOAD_FORMATS, searchCatalog, type CatalogFacetValue, type CatalogSearchPage } from '../../../catalog-open/index.ts';
import { GRADES } from '../../../store/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { parseQuery } from '../forms.ts';
import { useWords, viewOf } from '../lang.ts';
import { Badge, day, Layout } from '../layout.tsx';
import type { PortalApp } from '../routes.tsx';
import { wordOf, type PortalWords } from '../words.ts';

const PAGE_SIZE = 20;

const querySchema = z.object({
  q: z.string().max(200).optional(),
  department: z.string().max(200).optional(),
  theme: z.string().max(50).optional(),
  openType: z.enum(['unconditional', 'conditional']).optional(),
  format: z.enum(DOWNLOAD_FORMATS).optional(),
  grade: z.enum(GRADES).optional(),
  sort: z.enum(CATALOG_SORTS).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(400).optional(),
});
type CatalogParams = z.output<typeof querySchema>;
type FacetKey = 'department' | 'theme' | 'openType' | 'format' | 'grade';
const FACETS: FacetKey[] = ['department', 'theme', 'openType', 'format', 'grade'];

/** The URL of the catalog with `params` (empty values dropped; the cursor only when asked for). */
export function catalogHref(params: Partial<Record<keyof CatalogParams, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const key of ['q', ...FACETS, 'sort', 'limit', 'cursor'] as const) {
    const value = params[key];
    if (value) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `/portal/datasets?${text}` : '/portal/datasets';
}

function facetLabel(W: PortalWords, key: FacetKey, v: CatalogFacetValue): string {
  if (key === 'openType') return wordOf(W.openType, v.value);
  if (key === 'grade') return wordOf(W.grade, v.value);
  if (key === 'format') return v.value.toUpperCase();
  return v.label ?? v.value;
}

function Facets(props: { params: CatalogParams; page: CatalogSearchPage }) {
  const { params } = props;
  const W = useWords();
  const w = W.catalog;
  const base = { ...params, cursor: undefined };
  return (
    <aside class="facets" aria-label={w.facets}>
      <h2>{w.facets}</h2>
      {FACETS.map((key) => {
        const values = props.page.facets[key];
        if (values.length === 0) return null;
        return (
          <section>
            <h3>{w.facet[key]}</h3>
            <ul>
              {values.map((v) => {
                const on = params[key] === v.value;
                // a selected value's link removes the filter; another's replaces it
                return (
                  <li>
                    <a href={catalogHref({ ...base, [key]: on ? undefined : v.value })} class={on ? 'facet on' : 'facet'} aria-current={on ? 'true' : undefined} data-facet={key} data-value={v.value}>
                      <span class="check" aria-hidden="true">{on ? '☑' : '☐'}</span> {facetLabel(W, key, v)} <span class="count">({v.count})</span>
                    </a>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
      {FACETS.some((k) => params[k]) && (
        <p>
          <a href={catalogHref({ q: params.q })}>{w.clear}</a>
        </p>
      )}
    </aside>
  );
}

function Results(props: { page: CatalogSearchPage }) {
  const W = useWords();
  const w = W.catalog;
  if (props.page.items.length === 0) return <p class="muted">{w.none}</p>;
  return (
    <ol class="results">
      {props.page.items.map((d) => (
        <li class="result">
          <h3>
            <a href={`/portal/datasets/${encodeURIComponent(d.code)}`}>{d.name}</a> <Badge value={d.openType}>{wordOf(W.openType, d.openType)}</Badge>
          </h3>
          <p>{d.summary}</p>
          <dl class="facts">
            <div>
              <dt>{w.department}</dt>
              <dd>{d.department}</dd>
            </div>
            <div>
              <dt>{W.dataset.theme}</dt>
              <dd>{d.theme}</dd>
            </div>
            <div>
              <dt>{w.quality}</dt>
              <dd class="score">{d.qualityScore}</dd>
            </div>
            <div>
              <dt>{w.modified}</dt>
              <dd>
                <time datetime={d.modified}>{day(d.modified)}</time>
              </dd>
            </div>
          </dl>
        </li>
      ))}
    </ol>
  );
}

export function catalogPages(ui: PortalApp, deps: GatewayDeps) {
  ui.get('/datasets', async (c) => {
    const params = parseQuery(querySchema, c);
    const { database, policies } = servicesOf(deps);
    const page = await searchCatalog(database, policies, { ...params, limit: params.limit ?? PAGE_SIZE });
    const view = viewOf(c);
    const w = view.W.catalog;
    return c.html(
      <Layout view={view} title={w.title} path="/portal/datasets">
        <form method="get" action="/portal/datasets" class="search" role="search">
          <label for="q">{w.search}</label>
          <input id="q" name="q" type="search" value={params.q ?? ''} maxlength={200} placeholder={w.searchHint} aria-describedby="q-hint" />
          {/* the placeholder vanishes as one types: the hint stays available to screen readers */}
          <span id="q-hint" class="visually-hidden">
            {w.searchHint}
          </span>
          {FACETS.map((k) => (params[k] ? <input type="hidden" name={k} value={params[k]} /> : null))}
          {params.limit ? <input type="hidden" name="limit" value={String(params.limit)} /> : null}
          <label for="sort">{w.sort}</label>
          <select id="sort" name="sort">
            {CATALOG_SORTS.map((s) => (
              <option value={s} selected={(params.sort ?? 'modified') === s}>
                {w.sorts[s]}
              </option>
            ))}
          </select>
          <button type="submit">{w.submit}</button>
        </form>
        <div class="catalog">
          <Facets params={params} page={page} />
          <section class="hits" aria-label={w.title}>
            <p class="total" role="status">
              {w.total(page.total)}
            </p>
            <Results page={page} />
            <nav class="pager" aria-label={w.next}>
              {params.cursor && <a href={catalogHref({ ...params, cursor: undefined })}>{w.first}</a>}
              {page.nextCursor && (
                <a href={catalogHref({ ...params, cursor: page.nextCursor })} rel="next">
                  {w.next}
                </a>
              )}
            </nav>
          </section>
        </div>
      </Layout>,
    );
  });
}
