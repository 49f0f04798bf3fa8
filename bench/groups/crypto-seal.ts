// Group `crypto-seal`: Microsoft SEAL (node-seal 6, WASM, one thread) operations in ops/s, each against a same-run
// baseline that computes the same thing another way, so the ratio reads as "cost of doing it encrypted":
//   - BFV-8192 encrypt (public key, 8192 slots)            vs BatchEncoder encode of the same values (the plaintext step)
//   - BFV-8192 multiply + relinearize                      vs the same 8192 slot products in plaintext JS
//   - BFV-8192 rotate rows by 1 (one Galois key switch)    vs the same rotation of 8192 plaintext slots
//   - BFV-8192 ciphertext–plaintext add (encode + addPlain) vs ciphertext–ciphertext add: WASM's known slow path
//   - CKKS-8192 dot product of 4096-element vectors        vs the same dot product in plaintext JS
//     (encode x, multiply_plain, rescale, 12 rotations + adds: ckksDotProduct)
//   - CKKS-8192 encrypted scoring, 32 features, rows/s     vs plaintext scoring of the same rows
//     (128 rows per ciphertext; ckksScoreRows, masking included)
// Milliseconds per operation = 1000 / value. Set-up (context, keys incl. Galois keys) is outside the timings.
import {
  bfvEncrypt,
  ckksDotProduct,
  ckksEncrypt,
  ckksScoreRows,
  createSealContext,
  generateSealKeys,
  replicateWeights,
  sealAdd,
  sealAddPlain,
  sealMultiply,
  sealRotate,
  type SealCiphertext,
} from '../../crypto/index.ts';
import { callsPerSecond, type BenchCase, type BenchGroup } from '../harness.ts';

/** Kept so plaintext baselines cannot be optimized away; read nowhere. */
export let sink = 0;

export const cryptoSealGroup: BenchGroup = {
  name: 'crypto',
  async setup(options) {
    const minMs = Math.max(50, 400 * options.scale);
    options.progress('crypto-seal: BFV-8192 context and keys');
    const bfv = await createSealContext('bfv-8192');
    const bfvKeys = generateSealKeys(bfv, { galois: [1] });
    options.progress('crypto-seal: CKKS-8192 context and keys');
    const ckks = await createSealContext('ckks-8192');
    const ckksKeys = generateSealKeys(ckks, { relin: false });

    const n = bfv.slotCount;
    const t = Number(bfv.plainModulus!);
    const a = Int32Array.from({ length: n }, (_, i) => ((i * 7919) % 2001) - 1000);
    const a64 = BigInt64Array.from(a, (v) => BigInt(v));
    const b = Int32Array.from({ length: n }, (_, i) => ((i * 104729) % 401) - 200);
    const ca = bfvEncrypt(bfvKeys, a);
    const cb = bfvEncrypt(bfvKeys, b);

    const d = ckks.slotCount;
    const w = Float64Array.from({ length: d }, (_, i) => ((i % 17) - 8) / 10);
    const x = Float64Array.from({ length: d }, (_, i) => ((i * 31) % 23) / 7 - 1.5);
    const cw = ckksEncrypt(ckksKeys, w);

    const features = 32;
    const rowCount = 1024; // 8 result ciphertexts of 128 rows
    const sw = Float64Array.from({ length: features }, (_, i) => (i - 16) / 9);
    const rows = Array.from({ length: rowCount }, (_, r) => Float64Array.from({ length: features }, (_, i) => Math.sin(r * 0.37 + i)));
    const cScoring = ckksEncrypt(ckksKeys, replicateWeights(sw, ckks.slotCount));

    const consume = (ct: SealCiphertext) => {
      sink += ct.native.size();
      ct.delete();
    };
    const scratch = new Int32Array(n);

    const cases: BenchCase[] = [
      {
        name: 'BFV-8192 encrypt (8192 slots)',
        unit: 'ops/s',
        baselineName: 'BatchEncoder encode of the same 8192 values',
        run: async () => callsPerSecond(() => consume(bfvEncrypt(bfvKeys, a)), minMs),
        baseline: async () =>
          callsPerSecond(() => {
            const pt = new bfv.seal.Plaintext();
            bfv.batchEncoder!.encode(a64, pt);
            sink += pt.coeffCount();
            pt.delete();
          }, minMs),
      },
      {
        name: 'BFV-8192 multiply + relinearize',
        unit: 'ops/s',
        baselineName: 'the same 8192 slot products mod t in plaintext JS',
        run: async () => callsPerSecond(() => consume(sealMultiply(bfvKeys, ca, cb)), minMs),
        baseline: async () =>
          callsPerSecond(() => {
            for (let i = 0; i < n; i++) scratch[i] = (a[i]! * b[i]!) % t;
            sink += scratch[7]!;
          }, minMs, 100),
      },
      {
        name: 'BFV-8192 rotate rows by 1',
        unit: 'ops/s',
        baselineName: 'the same rotation of 8192 plaintext slots',
        run: async () => callsPerSecond(() => consume(sealRotate(bfvKeys, ca, 1)), minMs),
        baseline: async () =>
          callsPerSecond(() => {
            const half = n / 2;
            for (let i = 0; i < half; i++) {
              scratch[i] = a[(i + 1) % half]!;
              scratch[half + i] = a[half + ((i + 1) % half)]!;
            }
            sink += scratch[3]!;
          }, minMs, 100),
      },
      {
        name: 'BFV-8192 ciphertext–plaintext add (encode + add_plain)',
        unit: 'ops/s',
        baselineName: 'ciphertext–ciphertext add (avoid add_plain in hot loops)',
        run: async () => callsPerSecond(() => consume(sealAddPlain(bfvKeys, ca, b)), minMs),
        baseline: async () => callsPerSecond(() => consume(sealAdd(bfvKeys, ca, cb)), minMs),
      },
      {
        name: 'CKKS-8192 dot product, 4096-element vectors',
        unit: 'ops/s',
        baselineName: 'the same dot product in plaintext JS (Float64)',
        run: async () => callsPerSecond(() => consume(ckksDotProduct(ckksKeys, cw, x)), minMs),
        baseline: async () =>
          callsPerSecond(() => {
            let s = 0;
            for (let i = 0; i < d; i++) s += w[i]! * x[i]!;
            sink += s;
          }, minMs, 100),
      },
      {
        name: `CKKS-8192 encrypted scoring, ${features} features (${ckks.slotCount / features} rows/ciphertext)`,
        unit: 'rows/s',
        baselineName: 'plaintext scoring of the same rows in JS',
        run: async () => rowCount * callsPerSecond(() => ckksScoreRows(ckksKeys, cScoring, rows).forEach(consume), minMs, 1),
        baseline: async () =>
          rowCount *
          callsPerSecond(() => {
            for (const row of rows) {
              let s = 0;
              for (let i = 0; i < features; i++) s += row[i]! * sw[i]!;
              sink += s;
            }
          }, minMs, 10),
      },
    ];
    return {
      cases,
      async cleanup() {
        for (const ct of [ca, cb, cw, cScoring]) ct.delete();
        bfvKeys.delete();
        ckksKeys.delete();
        bfv.delete();
        ckks.delete();
      },
    };
  },
};
