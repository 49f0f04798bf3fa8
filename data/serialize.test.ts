import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DatasetDefinition, Row } from '../store/registry/types.ts';
import { DATASETS } from './datasets/index.ts';
import { csvField, csvHeader, csvLine, ndjsonLine, writeRows } from './serialize.ts';

const definition: DatasetDefinition = {
  ...DATASETS.population.definition,
  fields: [
    { name: 'text', type: 'string', nullable: true, sensitivity: 'none', description: '文本 / Text' },
    { name: 'n', type: 'decimal', nullable: true, sensitivity: 'none', description: '数 / Number' },
    { name: 'flag', type: 'boolean', nullable: true, sensitivity: 'none', description: '标志 / Flag' },
  ],
};

/** Collects what is written, accepting only `highWaterMark` bytes before asking the writer to wait for 'drain'. */
class SlowSink extends Writable {
  chunks: string[] = [];
  constructor(highWaterMark: number) {
    super({ highWaterMark, decodeStrings: false });
  }
  override _write(chunk: string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.chunks.push(String(chunk));
    setImmediate(done);
  }
}

describe('CSV', () => {
  it('quotes per RFC 4180 and keeps null apart from the empty string', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('""');
    expect(csvField('plain 文本')).toBe('plain 文本');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(false)).toBe('false');
    expect(csvHeader(definition)).toBe('text,n,flag\r\n');
    expect(csvLine({ text: 'x', n: null, flag: true }, definition)).toBe('x,,true\r\n');
  });

  it('round-trips any text through csv-parse', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            text: fc.option(fc.oneof(fc.string(), fc.constantFrom('', ',', '"', '\r\n', '\n', ' a ', '王,"五"\n六')), { nil: null }),
            n: fc.option(fc.integer({ min: -1e9, max: 1e9 }).map((x) => x / 100), { nil: null }),
            flag: fc.option(fc.boolean(), { nil: null }),
          }),
          { maxLength: 20 },
        ),
        (rows) => {
          const text = csvHeader(definition) + rows.map((r) => csvLine(r, definition)).join('');
          // Unquoted empty fields become null, quoted ones stay ''.
          const parsed = parse(text, {
            columns: true,
            cast: (value, ctx) => {
              if (ctx.header) return value;
              if (value === '' && !ctx.quoting) return null;
              if (ctx.column === 'n') return Number(value);
              if (ctx.column === 'flag') return value === 'true';
              return value;
            },
          }) as Row[];
          expect(parsed).toEqual(rows);
        },
      ),
    );
  });

  it('round-trips generated rows of every dataset', () => {
    for (const { definition: def, generate } of Object.values(DATASETS)) {
      const rows = [...generate({ rows: 200, seed: 'csv' })];
      const text = csvHeader(def) + rows.map((r) => csvLine(r, def)).join('');
      const parsed = parse(text, { columns: true, cast: (v, ctx) => (!ctx.header && v === '' && !ctx.quoting ? null : v) }) as Record<string, string | null>[];
      expect(parsed).toHaveLength(rows.length);
      parsed.forEach((p, i) => {
        for (const f of def.fields) {
          const v = rows[i]?.[f.name];
          expect(p[f.name]).toBe(v === null || v === undefined ? null : String(v));
        }
      });
    }
  });
});

describe('NDJSON', () => {
  it('writes one JSON object per line', () => {
    const row = { text: '一\n二', n: 1.25, flag: null };
    const line = ndjsonLine(row);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(row);
  });
});

describe('writeRows', () => {
  it('waits for drain, so rows are pulled only as fast as the sink takes them', async () => {
    const sink = new SlowSink(1024);
    let pulled = 0;
    let maxAhead = 0;
    const writtenBytes = () => sink.chunks.reduce((n, c) => n + c.length, 0);
    function* rows(): Generator<Row> {
      for (let i = 0; i < 5000; i++) {
        pulled++;
        // Rows pulled but not yet accepted by the sink: bounded by one chunk, whatever the total.
        maxAhead = Math.max(maxAhead, pulled * 20 - writtenBytes());
        yield { text: `row ${i}`.padEnd(18, '.'), n: i, flag: i % 2 === 0 };
      }
    }
    const written = await writeRows(rows(), sink, { format: 'ndjson', definition, chunkSize: 2048 });
    expect(written).toBe(5000);
    const lines = sink.chunks.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(5000);
    expect(JSON.parse(lines[4999] ?? '')).toEqual({ text: 'row 4999'.padEnd(18, '.'), n: 4999, flag: false });
    expect(maxAhead).toBeLessThan(20_000);
  });

  it('writes the CSV header even for no rows, and reports progress', async () => {
    const sink = new SlowSink(1 << 16);
    const seen: number[] = [];
    await writeRows([], sink, { format: 'csv', definition, onProgress: (n) => seen.push(n) });
    expect(sink.chunks.join('')).toBe('text,n,flag\r\n');
    expect(seen).toEqual([0]);
  });

  it('stops with the stream error when the reader goes away', async () => {
    const sink = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    let pulled = 0;
    function* endless(): Generator<Row> {
      for (;;) {
        pulled++;
        yield { text: 'x', n: 1, flag: true };
      }
    }
    await expect(writeRows(endless(), sink, { format: 'csv', definition, chunkSize: 64 })).rejects.toMatchObject({ code: 'EPIPE' });
    expect(pulled).toBeLessThan(1000);
  });
});
