// NDJSON (one object per line) and JSON (one array of objects, streamed element by element) for programs.
import type { OutputColumn, OutputRow, RowBatches } from './types.ts';

function objectText(keys: readonly string[], row: OutputRow): string {
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    const v = row[i];
    out += `${keys[i]}:${v === undefined ? 'null' : JSON.stringify(v)}`;
  }
  return `${out}}`;
}

/** One JSON object per row, members in column order, `\n` after each. */
export async function* ndjsonStream(columns: readonly OutputColumn[], batches: RowBatches): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const keys = columns.map((c) => JSON.stringify(c.name));
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    let out = '';
    for (const row of batch) out += `${objectText(keys, row)}\n`;
    yield encoder.encode(out);
  }
}

/** A JSON array of row objects, written as the rows arrive (never built whole in memory). */
export async function* jsonStream(columns: readonly OutputColumn[], batches: RowBatches): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const keys = columns.map((c) => JSON.stringify(c.name));
  let first = true;
  yield encoder.encode('[');
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    let out = '';
    for (const row of batch) {
      out += `${first ? '\n' : ',\n'}${objectText(keys, row)}`;
      first = false;
    }
    yield encoder.encode(out);
  }
  yield encoder.encode(first ? ']\n' : '\n]\n');
}
