// Wire formats between the platform, the isolate worker and the isolate: columns in, emitted columns out.
//
// Both directions are one JSON header plus one body of raw little-endian typed-array bytes, each array starting at an
// 8-byte-aligned offset. Bodies move as bytes (no per-row objects); headers carry names, types, offsets and string
// dictionaries. The output format (OutputHeader) is produced inside the isolate and is untrusted until
// decodeOutput has checked it. Version 1; bump `v` on any change.

/** A column the platform hands to a job. Strings are dictionary-encoded, -1 meaning missing. */
export type ColumnInput = Float64Array | Int32Array | { readonly codes: Int32Array; readonly dictionary: readonly string[] };

export type InputColumnLayout =
  | { name: string; type: 'f64' | 'i32'; offset: number }
  | { name: string; type: 'dict'; offset: number; dictionary: readonly string[] };

export interface InputLayout {
  v: 1;
  rowCount: number;
  /** body length in bytes */
  bytes: number;
  columns: InputColumnLayout[];
}

/** Output header, version 1: every array has `length` elements at `offset` in the body. */
export interface OutputHeader {
  v: 1;
  length: number;
  bytes: number;
  rows: { offset: number } | null;
  keys: ({ name: string; type: 'int'; offset: number } | { name: string; type: 'dict'; offset: number; dictionary: string[] })[];
  measures: { name: string; offset: number }[];
  features: { name: string; offset: number }[];
  label: { offset: number } | null;
}

/** Field and column names: identifiers, so that they are safe as object keys and in headers. */
export const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const aligned = (bytes: number): number => Math.ceil(bytes / 8) * 8;

function columnLength(column: ColumnInput): number {
  return column instanceof Float64Array || column instanceof Int32Array ? column.length : column.codes.length;
}

/**
 * Lays the columns out as one body: returns the header and the byte chunks to send in order (views on the caller's
 * arrays plus zero padding; nothing is copied here).
 * @throws TypeError when the columns are not a non-empty record of same-length typed or dictionary columns
 */
export function layoutColumns(columns: Readonly<Record<string, ColumnInput>>): { layout: InputLayout; chunks: Uint8Array[] } {
  const names = Object.keys(columns);
  if (names.length === 0) throw new TypeError('a job needs at least one column');
  const first = columns[names[0]!];
  const rowCount = first === undefined ? 0 : columnLength(first);
  const out: InputColumnLayout[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    if (!COLUMN_NAME.test(name) || name === '__proto__') throw new TypeError(`column name ${JSON.stringify(name.slice(0, 64))} is not an identifier`);
    const column = columns[name]!;
    let bytes: Uint8Array;
    if (column instanceof Float64Array || column instanceof Int32Array) {
      out.push({ name, type: column instanceof Float64Array ? 'f64' : 'i32', offset });
      bytes = new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
    } else if (column !== null && typeof column === 'object' && column.codes instanceof Int32Array && Array.isArray(column.dictionary)) {
      if (!column.dictionary.every((s) => typeof s === 'string')) throw new TypeError(`column ${name}: dictionary entries must be strings`);
      out.push({ name, type: 'dict', offset, dictionary: column.dictionary });
      bytes = new Uint8Array(column.codes.buffer, column.codes.byteOffset, column.codes.byteLength);
    } else {
      throw new TypeError(`column ${name} must be a Float64Array, an Int32Array or { codes: Int32Array, dictionary: string[] }`);
    }
    if (columnLength(column) !== rowCount) throw new TypeError(`column ${name} has ${columnLength(column)} rows, expected ${rowCount}`);
    chunks.push(bytes);
    const padding = aligned(bytes.byteLength) - bytes.byteLength;
    if (padding > 0) chunks.push(new Uint8Array(padding));
    offset += bytes.byteLength + padding;
  }
  return { layout: { v: 1, rowCount, bytes: offset, columns: out }, chunks };
}
