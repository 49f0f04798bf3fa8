import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DATASETS } from './datasets/index.ts';
import { generatedCsv, generatedStream } from './streams.ts';

async function text(stream: AsyncIterable<unknown>): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

describe('generated streams', () => {
  it('streams CSV and NDJSON of the same rows the generator makes', async () => {
    const expected = [...DATASETS.legal_persons.generate({ rows: 3000, seed: 'stream' })];
    const csv = parse(await text(generatedCsv('legal_persons', 3000, 'stream')), { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r.uscc)).toEqual(expected.map((r) => r.uscc));
    const ndjson = (await text(generatedStream('legal_persons', { rows: 3000, seed: 'stream', format: 'ndjson' })))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(ndjson).toEqual(expected);
  });

  it('rejects bad options immediately', () => {
    expect(() => generatedCsv('population', -5, 'x')).toThrow(RangeError);
    expect(() => generatedCsv('population', 5, '')).toThrow(RangeError);
  });
});
