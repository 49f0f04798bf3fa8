import { describe, expect, it } from 'vitest';
import { decodeOutput } from './decode-output.ts';
import { aligned, layoutColumns, type OutputHeader } from './wire.ts';

type Part = Int32Array | Float64Array;

/** Builds an output as the isolate would: arrays at 8-aligned offsets in one body, plus the header text. */
function encode(partial: Partial<OutputHeader>, arrays: Part[]): [string, ArrayBuffer] {
  const offsets: number[] = [];
  let bytes = 0;
  for (const a of arrays) {
    offsets.push(bytes);
    bytes += aligned(a.byteLength);
  }
  const body = new ArrayBuffer(bytes);
  arrays.forEach((a, i) => new Uint8Array(body, offsets[i], a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
  const header: OutputHeader = { v: 1, length: arrays[0]?.length ?? 0, bytes, rows: null, keys: [], measures: [], features: [], label: null, ...partial };
  return [JSON.stringify(header), body];
}

const decode = (header: string, body: ArrayBuffer, rowCount = 3, max = 1 << 20) => decodeOutput(header, body, rowCount, max);

describe('decodeOutput', () => {
  it('returns aligned keys and measures', () => {
    const [h, b] = encode(
      { keys: [{ name: 'district', type: 'dict', offset: 0, dictionary: ['A', 'B'] }], measures: [{ name: 'income', offset: 16 }] },
      [Int32Array.of(0, 1, 0), Float64Array.of(1, NaN, 3)],
    );
    const result = decode(h, b);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.output.keys.get('district')).toEqual({ type: 'dict', codes: Int32Array.of(0, 1, 0), dictionary: ['A', 'B'] });
    expect(Array.from(result.output.measures.get('income')!)).toEqual([1, NaN, 3]);
  });

  it('drops dictionary entries no row uses and merges duplicates, so a label only appears on rows that carry it', () => {
    const [h, b] = encode({ keys: [{ name: 'k', type: 'dict', offset: 0, dictionary: ['unused secret', 'A', 'A', 'B'] }] }, [Int32Array.of(1, 2, 3)]);
    const result = decode(h, b);
    if (!result.ok) throw new Error(result.failure.reason);
    expect(result.output.keys.get('k')).toEqual({ type: 'dict', codes: Int32Array.of(0, 0, 1), dictionary: ['A', 'B'] });
  });

  it.each([
    ['a code outside the dictionary', { keys: [{ name: 'k', type: 'dict' as const, offset: 0, dictionary: ['A'] }] }, [Int32Array.of(0, 1, -1)], /outside its dictionary/],
    ['a code below -1', { keys: [{ name: 'k', type: 'dict' as const, offset: 0, dictionary: ['A'] }] }, [Int32Array.of(0, -2, 0)], /outside its dictionary/],
    ['Infinity in a measure', { measures: [{ name: 'm', offset: 0 }] }, [Float64Array.of(1, Infinity, 2)], /finite number/],
    ['a wrong length', { length: 2, measures: [{ name: 'm', offset: 0 }] }, [Float64Array.of(1, 2)], /one element per described row/],
    ['rows not increasing', { length: 2, rows: { offset: 0 }, measures: [{ name: 'm', offset: 8 }] }, [Int32Array.of(1, 1), Float64Array.of(1, 2)], /strictly increasing/],
    ['rows outside the input', { length: 1, rows: { offset: 0 }, measures: [{ name: 'm', offset: 8 }] }, [Int32Array.of(3), Float64Array.of(1)], /strictly increasing/],
    ['an offset past the body', { measures: [{ name: 'm', offset: 64 }] }, [Float64Array.of(1, 2, 3)], /malformed/],
    ['an unaligned offset', { measures: [{ name: 'm', offset: 4 }] }, [Float64Array.of(1, 2, 3)], /malformed/],
    ['a bad name', { measures: [{ name: '__proto__', offset: 0 }] }, [Float64Array.of(1, 2, 3)], /not an identifier/],
    ['a duplicate name', { keys: [{ name: 'x', type: 'int' as const, offset: 0 }], measures: [{ name: 'x', offset: 16 }] }, [Int32Array.of(1, 2, 3), Float64Array.of(1, 2, 3)], /same name/],
    ['nothing emitted', { label: { offset: 0 } }, [Float64Array.of(1, 0, 1)], /at least one/],
  ])('refuses %s as BAD_OUTPUT', (_, partial, arrays, reason) => {
    const [h, b] = encode(partial, arrays);
    const result = decode(h, b);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.code).toBe('BAD_OUTPUT');
    expect(result.failure.reason).toMatch(reason);
  });

  it('refuses headers that are not exactly the format', () => {
    const [h, b] = encode({ measures: [{ name: 'm', offset: 0 }] }, [Float64Array.of(1, 2, 3)]);
    for (const text of ['not json', '[]', h.replace('"v":1', '"v":2'), h.replace('{"v":1', '{"extra":1,"v":1')]) {
      const result = decode(text, b);
      expect(result.ok ? null : result.failure.reason).toMatch(/malformed/);
    }
  });

  it('refuses an output over the size limit as OUTPUT_TOO_LARGE', () => {
    const [h, b] = encode({ measures: [{ name: 'm', offset: 0 }] }, [Float64Array.of(1, 2, 3)]);
    const result = decode(h, b, 3, 64);
    expect(result.ok ? null : result.failure.code).toBe('OUTPUT_TOO_LARGE');
  });
});

describe('layoutColumns', () => {
  it('lays columns out at 8-byte offsets without copying them', () => {
    const codes = Int32Array.of(0, 1, 0);
    const { layout, chunks } = layoutColumns({ a: Float64Array.of(1, 2, 3), b: codes, c: { codes, dictionary: ['x', 'y'] } });
    expect(layout).toEqual({
      v: 1,
      rowCount: 3,
      bytes: 24 + 16 + 16,
      columns: [
        { name: 'a', type: 'f64', offset: 0 },
        { name: 'b', type: 'i32', offset: 24 },
        { name: 'c', type: 'dict', offset: 40, dictionary: ['x', 'y'] },
      ],
    });
    expect(chunks[1]!.buffer).toBe(codes.buffer);
    expect(chunks.reduce((n, c) => n + c.byteLength, 0)).toBe(layout.bytes);
  });

  it('refuses mismatched lengths, odd types and non-identifier names (platform mistakes: TypeError)', () => {
    expect(() => layoutColumns({})).toThrow(TypeError);
    expect(() => layoutColumns({ a: new Float64Array(2), b: new Float64Array(3) })).toThrow(/expected 2/);
    expect(() => layoutColumns({ a: new Float32Array(2) as unknown as Float64Array })).toThrow(TypeError);
    expect(() => layoutColumns({ 'a b': new Float64Array(2) })).toThrow(/identifier/);
  });
});
