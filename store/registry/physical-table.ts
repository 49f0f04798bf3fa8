// Where a dataset version's rows live: one table per version in the `data` schema, with typed columns.
import type { FieldDefinition, FieldType } from './types.ts';

/** Dataset codes and field names are restricted to this, so quoting is belt and braces, not the only guard. */
export const IDENTIFIER = /^[a-z][a-z0-9_]{0,47}$/;

const PG_TYPES: Record<FieldType, string> = {
  string: 'text',
  integer: 'bigint',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
};

/** Throws TypeError for an identifier that skipped validation: that is a programming mistake, not bad input. */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError('identifier failed validation');
  return `"${name}"`;
}

export function physicalTableName(code: string, version: number): string {
  return `data.${quoteIdentifier(`${code}_v${version}`)}`;
}

export function createTableStatement(table: string, fields: readonly FieldDefinition[]): string {
  const columns = fields.map(
    (f) => `${quoteIdentifier(f.name)} ${PG_TYPES[f.type]}${f.nullable ? '' : ' NOT NULL'}`,
  );
  return `CREATE TABLE ${table} (${columns.join(', ')})`;
}
