// Generated datasets as Node Readable streams of CSV or NDJSON text, for pipelines (files, loaders, benchmarks).

import { Readable } from 'node:stream';
import { DATASETS, type DatasetCode } from './datasets/index.ts';
import { serializeChunks, type OutputFormat } from './serialize.ts';

/**
 * A Readable of `rows` generated rows of `code` in `format`. Rows are generated only as the consumer reads, so
 * memory stays flat. Throws RangeError at once for bad rows or seed.
 */
export function generatedStream(code: DatasetCode, options: { rows: number; seed: string | number; format: OutputFormat }): Readable {
  const dataset = DATASETS[code];
  const rows = dataset.generate({ rows: options.rows, seed: options.seed });
  // Validate eagerly: a generator body only runs on the first read, which would turn bad input into a stream error.
  const first = rows.next();
  function* all() {
    if (!first.done) yield first.value;
    yield* rows;
  }
  return Readable.from(serializeChunks(all(), options.format, dataset.definition), { objectMode: false });
}

/** CSV (RFC 4180, header line, CRLF) of `rows` generated rows: `generatedCsv('population', 1e6, 'bench')`. */
export function generatedCsv(code: DatasetCode, rows: number, seed: string | number): Readable {
  return generatedStream(code, { rows, seed, format: 'csv' });
}
