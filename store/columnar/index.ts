// Columnar reads: a table's columns streamed out as typed batches (binary COPY), text dictionary-encoded on arrival.
export { readColumns } from './read-columns.ts';
export type { ColumnReader, ColumnReadOptions, ColumnSpec } from './read-columns.ts';
export { BinaryCopyDecoder, CopyFormatError, NULL_DATE } from './binary-copy.ts';
export type { BatchColumn, ColumnBatch, CopyColumnKind } from './binary-copy.ts';
export { TextInterner } from './text-interner.ts';
