// What `q` matches: one lower-cased text per catalog entry, rebuilt when the entry or its registry dataset changes.
import type { Database, DatasetDefinition } from '../../store/index.ts';
import type { ResourceClassification } from '../schema.ts';

export interface SearchableEntry {
  resourceCode: string;
  summary: string;
  theme: string;
  keywords: readonly string[];
  classification: ResourceClassification | null;
  spatial: string | null;
}

/**
 * Name, code, summary, keywords, department, theme, classification and the fields' names and descriptions, lower-cased,
 * one per line (so a query never matches across two parts unless it holds a line break).
 */
export function buildSearchText(dataset: Pick<DatasetDefinition, 'code' | 'name' | 'description' | 'department' | 'departmentCode' | 'fields'>, entry: SearchableEntry): string {
  const c = entry.classification;
  return [
    dataset.name,
    dataset.code,
    entry.resourceCode,
    entry.summary,
    dataset.description,
    entry.keywords.join(' '),
    dataset.department,
    dataset.departmentCode,
    entry.theme,
    c ? [c.category, c.item, c.section, c.detail].filter(Boolean).join(' ') : '',
    entry.spatial ?? '',
    ...dataset.fields.map((f) => `${f.name} ${f.description}`),
  ]
    .filter((part) => part.length > 0)
    .join('\n')
    .toLowerCase();
}

interface StaleRow {
  code: string;
  name: string;
  description: string;
  department: string;
  department_code: string;
  fields: DatasetDefinition['fields'];
  resource_code: string;
  summary: string;
  theme: string;
  keywords: string[];
  classification: ResourceClassification | null;
  spatial: string | null;
}

/**
 * Rebuilds the search text of entries whose registry dataset changed after the entry was last written (a steward's
 * PATCH of name, description, department or fields). The registry does not know the catalog, so the catalog catches
 * up when it is read; the query finds nothing to do in the common case.
 */
export async function refreshStaleSearchText(database: Database): Promise<number> {
  const stale = await database.sql.query<StaleRow>(
    `select d.code, d.name, d.description, d.department, d.department_code, d.fields,
            ce.resource_code, ce.summary, ce.theme, ce.keywords, ce.classification, ce.spatial
       from catalog_entries ce join datasets d on d.code = ce.dataset_code
      where d.updated_at > ce.updated_at`,
  );
  for (const row of stale) {
    const text = buildSearchText(
      { code: row.code, name: row.name, description: row.description, department: row.department, departmentCode: row.department_code, fields: row.fields },
      { resourceCode: row.resource_code, summary: row.summary, theme: row.theme, keywords: row.keywords, classification: row.classification, spatial: row.spatial },
    );
    await database.sql.query(
      `update catalog_entries set search_text = $2, updated_at = greatest(now(), (select updated_at from datasets where code = $1))
        where dataset_code = $1`,
      [row.code, text],
    );
  }
  return stale.length;
}
