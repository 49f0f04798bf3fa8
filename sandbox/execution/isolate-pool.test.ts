import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolatePool, type IsolatePool, type ModelJob, type ModelJobResult } from './isolate-pool.ts';
import type { MapOutput } from './decode-output.ts';

// One worker, so that consecutive jobs share a process: that is what "the next job runs normally" and "a used
// isolate is never reused" are about.
let pool: IsolatePool;
beforeAll(() => {
  pool = createIsolatePool({ size: 1 });
});
afterAll(() => pool.close());

/** A value that must never show up in a reason: it is data. */
const SECRET = 987654.25;
const AS_OF = Date.UTC(2024, 5, 30);
const columns = {
  region_code: { codes: Int32Array.of(0, 1, 0, 2, 1, -1), dictionary: ['330102', '330105', '330106'] },
  annual_income: Float64Array.of(SECRET, 52000, NaN, 61000, 48000, 39000),
  age: Int32Array.of(25, 41, 67, 33, 58, 19),
};
const FAST = { memoryMb: 32, cpuTimeMs: 1500, wallTimeMs: 4000 };

const run = (code: string, extra: Partial<ModelJob> = {}) => pool.run({ code, columns, asOf: AS_OF, limits: FAST, ...extra });

function output(result: ModelJobResult): MapOutput {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.reason}`);
  return result.output;
}
function failure(result: ModelJobResult): { code: string; reason: string } {
  if (result.ok) throw new Error('expected a failure');
  return result;
}
/** The single string a probe model emits as the key of every row. */
function probe(result: ModelJobResult): string {
  const key = output(result).keys.get('probe');
  if (key?.type !== 'dict') throw new Error('no probe key');
  return key.dictionary[0]!;
}
const probeModel = (expression: string) => `export function map(c, p, info) { const r = String(${expression}); return { keys: { probe: Array(info.rowCount).fill(r) } }; }`;

const OK_MODEL = 'export function map(c) { return { measures: { income: c.annual_income } }; }';
async function expectHealthy() {
  expect(output(await run(OK_MODEL)).measures.get('income')).toHaveLength(6);
}

describe('isolate pool: happy path', () => {
  it('runs income by district: keys and measures aligned with the input rows', async () => {
    const result = await run(`
      export function map(columns, params, info) {
        const bands = Array.from(columns.age, (age) => (age < params.split ? 'young' : 'older'));
        return { keys: { district: columns.region_code, band: bands }, measures: { income: columns.annual_income } };
      }`, { params: { split: 40 } });
    const out = output(result);
    expect(out.length).toBe(6);
    expect(out.rows).toBeNull();
    expect(out.keys.get('district')).toEqual({ type: 'dict', codes: Int32Array.of(0, 1, 0, 2, 1, -1), dictionary: ['330102', '330105', '330106'] });
    expect(out.keys.get('band')).toEqual({ type: 'dict', codes: Int32Array.of(0, 1, 1, 0, 1, 0), dictionary: ['young', 'older'] });
    expect(Array.from(out.measures.get('income')!)).toEqual([SECRET, 52000, NaN, 61000, 48000, 39000]);
    expect(result.ok && result.usage.wallMs).toBeGreaterThan(0);
  });

  it('accepts a row filter, integer keys, plain arrays, features and a label', async () => {
    const out = output(await run(`
      export function map(c) {
        return { rows: [1, 3, 4], keys: { age: Int32Array.of(41, 33, 58) }, features: { x: [1, null, 2] }, label: Int32Array.of(1, 0, 1) };
      }`));
    expect(Array.from(out.rows!)).toEqual([1, 3, 4]);
    expect(out.keys.get('age')).toEqual({ type: 'int', values: Int32Array.of(41, 33, 58) });
    expect(Array.from(out.features.get('x')!)).toEqual([1, NaN, 2]);
    expect(Array.from(out.label!)).toEqual([1, 0, 1]);
  });

  it('returns whole arrays as they are and copies views, shared buffers and Int32 measures exactly', async () => {
    const out = output(await run(`
      export function map(c) {
        const whole = new Float64Array(6).fill(2.5);
        const wide = Float64Array.of(9, 9, 1, 2, 3, 4, 5, 6, 9);
        return { measures: { whole, again: whole, view: wide.subarray(2, 8), ints: Int32Array.of(1, 2, 3, 4, 5, 6), input: c.annual_income } };
      }`));
    expect(Array.from(out.measures.get('whole')!)).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(Array.from(out.measures.get('again')!)).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(Array.from(out.measures.get('view')!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(out.measures.get('ints')!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(out.measures.get('input')!)).toEqual([SECRET, 52000, NaN, 61000, 48000, 39000]);
  });
});

describe('isolate pool: what the sandbox offers', () => {
  it.each([
    ['WebAssembly', 'typeof WebAssembly'],
    ['SharedArrayBuffer', 'typeof SharedArrayBuffer'],
    ['Atomics', 'typeof Atomics'],
    ['require', 'typeof require'],
    ['process', 'typeof process'],
    ['fetch', 'typeof globalThis.fetch'],
    ['setTimeout', 'typeof setTimeout'],
    ['Intl.DateTimeFormat (it reads the clock)', 'typeof Intl.DateTimeFormat'],
  ])('has no %s', async (_, expression) => {
    expect(probe(await run(probeModel(expression)))).toBe('undefined');
  });

  it('has a frozen clock at the job’s as-of time', async () => {
    const seen = probe(await run(probeModel('[Date.now(), new Date().getTime(), new (new Date().constructor)().getTime(), info.asOf].join()')));
    expect(seen).toBe([AS_OF, AS_OF, AS_OF, AS_OF].join());
  });

  it('gives nothing useful to this.constructor.constructor escapes', async () => {
    const seen = probe(await run(probeModel(
      "[typeof map.constructor('return this')().process, typeof ({}).constructor.constructor('try { return process } catch { return undefined }')(), typeof (function () { return this; }).call(undefined)].join()",
    )));
    expect(seen).toBe('undefined,undefined,undefined');
  });

  it('accepts console calls and prints nothing', async () => {
    expect(probe(await run(probeModel("(console.log('x', c.annual_income[0]), 'ok')")))).toBe('ok');
  });

  it('never reuses an isolate: state left by one job is invisible to the next', async () => {
    await run(`globalThis.leak = 1; Object.prototype.polluted = 1; Array.prototype.push = () => 0; Math.max = () => 0;
      export function map(c) { return { measures: { income: c.annual_income } }; }`);
    const seen = probe(await run(probeModel("[typeof globalThis.leak, typeof ({}).polluted, [1].push(2), Math.max(1, 2)].join()")));
    expect(seen).toBe('undefined,undefined,2,2');
  });

  it('gives an isolate made ahead of time each job’s own clock and memory limit', async () => {
    const clock = (asOf: number, limits = FAST) => pool.run({ code: probeModel('Date.now()'), columns, asOf, limits });
    expect(probe(await clock(AS_OF))).toBe(String(AS_OF));
    expect(probe(await clock(AS_OF + 86_400_000))).toBe(String(AS_OF + 86_400_000));
    // 24 MiB fits the isolate prepared after a 64 MiB job, not the 8 MiB this job asks for
    const alloc = 'export function map(c) { const a = new Float64Array(3 * 1024 * 1024); return { measures: { x: c.annual_income } }; }';
    expect(output(await run(alloc, { limits: { ...FAST, memoryMb: 64 } })).length).toBe(6);
    expect(failure(await run(alloc, { limits: { ...FAST, memoryMb: 8 } })).code).toBe('MEMORY_LIMIT');
    await expectHealthy();
  });

  it('checks output arrays again in the host: a change queued to run after map returns gains nothing', async () => {
    const result = await run(`export function map(c) {
      const x = new Float64Array(6).fill(1);
      Promise.resolve().then(() => x.fill(Infinity));
      return { measures: { x } };
    }`);
    if (result.ok) expect(Array.from(result.output.measures.get('x')!)).toEqual([1, 1, 1, 1, 1, 1]);
    else expect(result.code).toBe('BAD_OUTPUT');
  });
});

describe('isolate pool: bad models end failed with data-free reasons', () => {
  it('reports a syntax error with its position', async () => {
    expect(failure(await run('export function map(c) {\n  return }}\n}'))).toMatchObject({ code: 'SYNTAX_ERROR', reason: 'Unexpected token … at line 2, column 11' });
  });

  it('refuses imports', async () => {
    expect(failure(await run("import x from 'fs';\nexport function map() {}")).code).toBe('SYNTAX_ERROR');
  });

  it('drops the message of a thrown error (it can hold data values)', async () => {
    const { code, reason } = failure(await run('export function map(c) {\n  throw new RangeError("income " + c.annual_income[0]);\n}'));
    expect(code).toBe('RUNTIME_ERROR');
    expect(reason).toBe('RangeError thrown at line 2, column 9');
  });

  it.each([
    ['an error name', 'const e = new Error(); e.name = "E" + v; throw e;'],
    ['a forged stack', 'const e = new Error(); e.stack = "at model.js:" + v + ":1"; throw e;'],
    ['a thrown value', 'throw v;'],
    ['a proxy that throws when inspected', 'throw new Proxy({}, { get() { throw new Error(String(v)); } });'],
    ['eval code with a forged file name and line', 'eval("\\n".repeat(v % 1000) + "throw new Error(1) //# sourceURL=model.js");'],
    ['Function code with a chosen line', 'new Function("\\n".repeat(v % 1000) + "throw new Error(1)")();'],
  ])('does not let %s carry data into the reason', async (_, body) => {
    const { code, reason } = failure(await run(`export function map(c) { const v = c.annual_income[0]; ${body} }`));
    expect(code).toBe('RUNTIME_ERROR');
    expect(reason).not.toMatch(/987654|\b25\b|254|(line (?!1,))/);
  });

  it('stops an infinite loop (TIMEOUT) and then runs the next job normally', async () => {
    expect(failure(await run('export function map() { while (true) {} }', { limits: { ...FAST, cpuTimeMs: 300 } })).code).toBe('TIMEOUT');
    await expectHealthy();
  });

  it('runs output getters inside the isolate, under the timeout', async () => {
    const result = await run('export function map() { return { measures: { get income() { while (true) {} } } }; }', { limits: { ...FAST, cpuTimeMs: 300 } });
    expect(failure(result).code).toBe('TIMEOUT');
    await expectHealthy();
  });

  it.each([
    ['a Map growth bomb', 'const m = new Map(); for (let i = 0; ; i++) m.set(i, { i });'],
    ['a 2^28-element array', 'const a = new Array(2 ** 28).fill(0); return { measures: { x: a } };'],
    ['an ArrayBuffer bomb', 'const a = []; for (;;) a.push(new ArrayBuffer(1 << 24));'],
    ['a heap bomb of small objects', 'const a = []; for (let i = 0; ; i++) a.push({ i, s: "x" + i, n: [i, i] });'],
    ['string doubling (flattened, so each step really doubles)', 'let s = "x"; const keep = []; for (;;) { s = s + s; s.indexOf("y"); keep.push(s); }'],
    ['a typed-array bomb', 'const a = []; for (;;) a.push(new Float64Array(1 << 22).fill(1));'],
    ['a huge array of doubles', 'const a = []; for (let i = 0; ; i++) a[i] = i + 0.5;'],
  ])('contains %s (MEMORY_LIMIT or WORKER_CRASHED) and keeps serving', async (_, body) => {
    // time limits far off: memory, not time, must stop these (a slow machine grows memory slowly)
    const { code } = failure(await run(`export function map(c) { ${body} }`, { limits: { ...FAST, cpuTimeMs: 20_000, wallTimeMs: 25_000 } }));
    expect(['MEMORY_LIMIT', 'WORKER_CRASHED']).toContain(code);
    await expectHealthy();
  });

  it('refuses an output over the size limit (OUTPUT_TOO_LARGE), huge dictionaries included', async () => {
    const limits = { ...FAST, maxOutputBytes: 4096 };
    const big = 'export function map(c, p, info) { return { measures: { x: new Float64Array(1000) }, rows: Array.from({ length: 1000 }, (_, i) => i) }; }';
    expect(failure(await pool.run({ code: big, columns: { a: new Float64Array(1000) }, limits })).code).toBe('OUTPUT_TOO_LARGE');
    const labels = 'export function map(c, p, info) { return { keys: { k: Array.from({ length: info.rowCount }, (_, i) => "x".repeat(200) + i) } }; }';
    expect(failure(await pool.run({ code: labels, columns: { a: new Float64Array(1000) }, limits })).code).toBe('OUTPUT_TOO_LARGE');
  });

  it.each([
    ['no map export', 'export const nothing = 1;', /does not export a function named map/],
    ['a non-object', 'export function map() { return 42; }', /must return an object/],
    ['a Promise', 'export async function map(c) { return { measures: { x: c.annual_income } }; }', /synchronously/],
    ['nothing emitted', 'export function map() { return {}; }', /at least one/],
    ['a wrong length', 'export function map() { return { measures: { x: [1, 2] } }; }', /one element per described row/],
    ['numbers as string keys', 'export function map(c) { return { keys: { k: [1, 2, 3, 4, 5, 6] } }; }', /string, null or undefined/],
    ['Infinity in a measure', 'export function map(c) { return { measures: { x: c.annual_income.map(() => Infinity) } }; }', /finite number/],
    ['a bad column name', 'export function map(c) { return { measures: { "income 2024": c.annual_income } }; }', /identifier/],
    ['a code outside its dictionary', 'export function map(c) { return { keys: { k: { codes: new Int32Array(6).fill(5), dictionary: ["a"] } } }; }', /outside its dictionary/],
    ['rows out of order', 'export function map(c) { return { rows: [3, 1], measures: { x: [1, 2] } }; }', /strictly increasing/],
  ])('refuses %s as BAD_OUTPUT', async (_, code, reason) => {
    const result = failure(await run(code));
    expect(result.code).toBe('BAD_OUTPUT');
    expect(result.reason).toMatch(reason);
  });

  it('reports an error thrown by the module body', async () => {
    expect(failure(await run('throw new TypeError("at load");\nexport function map() {}'))).toMatchObject({ code: 'RUNTIME_ERROR', reason: 'TypeError thrown at line 1, column 7' });
  });
});

describe('isolate pool: supervision', () => {
  it('replaces the worker after a limit was hit, and keeps it otherwise', async () => {
    await expectHealthy();
    const before = pool.stats().workers[0]!.pid;
    await expectHealthy();
    expect(pool.stats().workers[0]!.pid).toBe(before);
    await run('export function map() { for (;;) {} }', { limits: { ...FAST, cpuTimeMs: 100 } });
    await expectHealthy();
    expect(pool.stats().workers[0]!.pid).not.toBe(before);
  });

  it.runIf(process.platform === 'linux')('watches the worker’s resident memory while a job runs, not its address space', async () => {
    await expectHealthy();
    const before = pool.stats().workers[0]!;
    // 48 MiB inside a 128 MiB isolate, held for a few polls of the guard
    const hold = 'export function map(c) { const a = new Float64Array(6 * 1024 * 1024).fill(1); let t = 0; for (let i = 0; i < 3e7; i++) t += a[i % a.length]; return { measures: { x: c.annual_income.map(() => t > 0 ? 1 : 0) } }; }';
    expect(output(await run(hold, { limits: { ...FAST, memoryMb: 128 } })).length).toBe(6);
    const after = pool.stats().workers[0]!;
    expect(after.pid).toBe(before.pid);
    expect(after.peakRssMb).toBeGreaterThan(before.peakRssMb + 30);
    // no address-space limit: v8 reserves far more than it uses, and the worker must not die of that
    expect(readFileSync(`/proc/${after.pid}/limits`, 'utf8')).toMatch(/Max address space\s+unlimited/);
  });

  it('contains a WebAssembly memory bomb: the sandbox has no WebAssembly to grow', async () => {
    const result = failure(await run('export function map(c) { const m = new WebAssembly.Memory({ initial: 1, maximum: 65536 }); for (;;) m.grow(1024); }'));
    expect(result.code).toBe('RUNTIME_ERROR');
    expect(result.reason).toMatch(/^ReferenceError/);
    await expectHealthy();
  });

  it('refuses oversized code and non-object params as VALIDATION_FAILED', async () => {
    await expect(pool.run({ code: 'x'.repeat(1_000_001), columns })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(pool.run({ code: OK_MODEL, columns, params: [1] as never })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('finishes accepted jobs on close, then refuses new ones (NOT_READY)', async () => {
    const own = createIsolatePool({ size: 1 });
    const accepted = own.run({ code: OK_MODEL, columns });
    await own.close();
    expect(output(await accepted).length).toBe(6);
    await expect(own.run({ code: OK_MODEL, columns })).rejects.toMatchObject({ code: 'NOT_READY' });
    expect(own.stats().workers).toEqual([{ pid: null, state: 'empty', jobsRun: 0, peakRssMb: 0 }]);
  });
});
