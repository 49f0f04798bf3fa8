// GET /open/catalog.jsonld: one page of the public catalog as a DCAT-AP 3 document, ordered by dataset code.
import type { PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import { toDcatCatalog, type CatalogInfo } from './dcat.ts';
import { entriesOf, listedRows } from './listed-entries.ts';

export const DCAT_PAGE_SIZE_DEFAULT = 100;
export const DCAT_PAGE_SIZE_MAX = 1000;

/** Unconditional and conditional datasets only (the listed catalog); a page past the last is empty, not an error. */
export async function dcatCatalogPage(
  database: Database,
  policies: PolicySet,
  info: CatalogInfo,
  page: { page: number; pageSize: number },
  now: Date = new Date(),
): Promise<Record<string, unknown>> {
  const rows = await listedRows(database, policies);
  const slice = rows.slice((page.page - 1) * page.pageSize, page.page * page.pageSize);
  const entries = await entriesOf(database, policies, slice, now);
  return toDcatCatalog(entries, info, { ...page, total: rows.length });
}

/** The portal's own description in both interop formats (Chinese: the catalog's language). */
export const PORTAL = {
  title: '公共数据开放目录',
  description: '本平台无条件开放和有条件开放的政务数据资源目录。',
  publisher: '公共数据开放平台',
} as const;
