// Host-side check of what a model emitted: the trust boundary for the isolate's output (wire format in wire.ts).
//
// Everything here assumes the header and body were written by hostile code: sizes, offsets, names, codes and values
// are all checked before the platform reduces anything. Dictionaries are compacted (entries no row uses are dropped,
// duplicates merged) so that a label can only ever appear as the key of rows that carry it.
import { badOutput, type BadOutputReasonId, type SandboxFailure } from './failure.ts';
import { aligned, COLUMN_NAME } from './wire.ts';

export type KeyOutput = { type: 'dict'; codes: Int32Array; dictionary: readonly string[] } | { type: 'int'; values: Int32Array };

/** A checked output. Every column has `length` elements; element j describes input row `rows[j]` (or j without rows). */
export interface MapOutput {
  /** rows of the input */
  rowCount: number;
  /** rows described by the output */
  length: number;
  /** input row indices, strictly increasing; null when the output describes every input row in order */
  rows: Int32Array | null;
  keys: ReadonlyMap<string, KeyOutput>;
  measures: ReadonlyMap<string, Float64Array>;
  features: ReadonlyMap<string, Float64Array>;
  label: Float64Array | null;
}

const MAX_COLUMNS = 256;
const MAX_LABEL = 256;

class Refused extends Error {
  constructor(readonly id: BadOutputReasonId) {
    super(id);
  }
}
function refuse(id: BadOutputReasonId): never {
  throw new Refused(id);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function exactKeys(value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (!isRecord(value)) refuse('MALFORMED');
  const own = Object.keys(value);
  if (own.length !== keys.length || !own.every((k) => keys.includes(k))) refuse('MALFORMED');
  return value;
}

function view<T extends Int32Array | Float64Array>(
  make: new (buffer: ArrayBuffer, offset: number, length: number) => T,
  size: number,
  body: ArrayBuffer,
  offset: unknown,
  length: number,
): T {
  if (!Number.isInteger(offset) || (offset as number) < 0 || (offset as number) % 8 !== 0) refuse('MALFORMED');
  if ((offset as number) + aligned(length * size) > body.byteLength) refuse('MALFORMED');
  return new make(body, offset as number, length);
}

function checkName(name: unknown, seen: Set<string>): string {
  if (typeof name !== 'string' || !COLUMN_NAME.test(name) || name === '__proto__') refuse('NAME');
  if (seen.has(name)) refuse('DUPLICATE_NAME');
  seen.add(name);
  return name;
}

function checkNumbers(values: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    // finite numbers and NaN (missing) pass; x - x is NaN only for ±Infinity and NaN
    if (x - x !== 0 && x === x) refuse('NUMBER_VALUE');
  }
  return values;
}

/** Checks codes against the dictionary, then drops unused entries and merges duplicates, rewriting codes in place. */
function compactDictionary(codes: Int32Array, dictionary: unknown): { codes: Int32Array; dictionary: string[] } {
  if (!Array.isArray(dictionary)) refuse('MALFORMED');
  const n = dictionary.length;
  for (const s of dictionary) {
    if (typeof s !== 'string') refuse('MALFORMED');
    if (s.length > MAX_LABEL) refuse('LABEL_LENGTH');
  }
  const used = new Uint8Array(n);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c === -1) continue;
    if (c < -1 || c >= n) refuse('KEY_CODE');
    used[c] = 1;
  }
  const remap = new Int32Array(n).fill(-1);
  const index = new Map<string, number>();
  const out: string[] = [];
  let identity = true;
  for (let i = 0; i < n; i++) {
    if (!used[i]) {
      identity = false;
      continue;
    }
    const s = dictionary[i] as string;
    let code = index.get(s);
    if (code === undefined) {
      code = out.length;
      out.push(s);
      index.set(s, code);
    }
    remap[i] = code;
    if (code !== i) identity = false;
  }
  if (!identity) {
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      if (c !== -1) codes[i] = remap[c]!;
    }
  }
  return { codes, dictionary: out };
}

function section(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length > MAX_COLUMNS) refuse(Array.isArray(value) ? 'TOO_MANY_COLUMNS' : 'MALFORMED');
  return value.map((entry) => (isRecord(entry) ? entry : refuse('MALFORMED')));
}

/**
 * Parses and checks an output. Returns the output, or a failure with a fixed, data-free reason.
 * `body` becomes owned by the output (key codes may be rewritten in place).
 */
export function decodeOutput(
  headerText: string,
  body: ArrayBuffer,
  rowCount: number,
  maxOutputBytes: number,
): { ok: true; output: MapOutput } | { ok: false; failure: SandboxFailure } {
  if (headerText.length + body.byteLength > maxOutputBytes) {
    return { ok: false, failure: { code: 'OUTPUT_TOO_LARGE', reason: `the output exceeds ${maxOutputBytes} bytes` } };
  }
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(headerText);
    } catch {
      refuse('MALFORMED');
    }
    const h = exactKeys(parsed, ['v', 'length', 'bytes', 'rows', 'keys', 'measures', 'features', 'label']);
    if (h.v !== 1 || h.bytes !== body.byteLength) refuse('MALFORMED');
    const length = h.length;
    if (!Number.isInteger(length) || (length as number) < 0 || (length as number) > rowCount) refuse('LENGTH');
    const n = length as number;

    let rows: Int32Array | null = null;
    if (h.rows !== null) {
      rows = view(Int32Array, 4, body, exactKeys(h.rows, ['offset']).offset, n);
      let previous = -1;
      for (let i = 0; i < n; i++) {
        const r = rows[i]!;
        if (r <= previous || r >= rowCount) refuse('ROWS');
        previous = r;
      }
    } else if (n !== rowCount) refuse('LENGTH');

    const seen = new Set<string>();
    const keys = new Map<string, KeyOutput>();
    for (const k of section(h.keys)) {
      const name = checkName(k.name, seen);
      if (k.type === 'int') {
        exactKeys(k, ['name', 'type', 'offset']);
        keys.set(name, { type: 'int', values: view(Int32Array, 4, body, k.offset, n) });
      } else if (k.type === 'dict') {
        exactKeys(k, ['name', 'type', 'offset', 'dictionary']);
        keys.set(name, { type: 'dict', ...compactDictionary(view(Int32Array, 4, body, k.offset, n), k.dictionary) });
      } else refuse('MALFORMED');
    }
    const numeric = (entries: unknown): Map<string, Float64Array> => {
      const out = new Map<string, Float64Array>();
      for (const m of section(entries)) {
        exactKeys(m, ['name', 'offset']);
        out.set(checkName(m.name, seen), checkNumbers(view(Float64Array, 8, body, m.offset, n)));
      }
      return out;
    };
    const measures = numeric(h.measures);
    const features = numeric(h.features);
    const label = h.label === null ? null : checkNumbers(view(Float64Array, 8, body, exactKeys(h.label, ['offset']).offset, n));
    if (keys.size + measures.size + features.size === 0) refuse('EMPTY');
    return { ok: true, output: { rowCount, length: n, rows, keys, measures, features, label } };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, failure: badOutput(err.id) };
    throw err;
  }
}
