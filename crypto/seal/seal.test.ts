import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.ts';
import {
  bfvDecrypt,
  bfvEncrypt,
  bfvNoiseBudget,
  ckksDecrypt,
  ckksDecryptScores,
  ckksDotProduct,
  ckksEncrypt,
  ckksScoreRows,
  createSealContext,
  deserializeCiphertext,
  deserializeSealKeys,
  encryptCompact,
  ENVELOPE_HEADER_BYTES,
  generateSealKeys,
  replicateWeights,
  sealAdd,
  sealAddPlain,
  sealBytesToBase64,
  sealEvaluationKeys,
  sealMultiply,
  sealRotate,
  sealSumSlots,
  serializeCiphertext,
  serializeSealKey,
  type SealCiphertext,
  type SealContext,
  type SealKeys,
} from './index.ts';

// One context and key set per scheme for the whole file: SEAL set-up (Galois keys above all) is the slow part.
let bfv: SealContext;
let bfvKeys: SealKeys;
let ckks: SealContext;
let ckksKeys: SealKeys;
let small: SealContext;
let smallKeys: SealKeys;
const owned: SealCiphertext[] = [];
const own = <T extends SealCiphertext>(ct: T): T => {
  owned.push(ct);
  return ct;
};

beforeAll(async () => {
  bfv = await createSealContext('bfv-8192');
  bfvKeys = generateSealKeys(bfv);
  ckks = await createSealContext('ckks-8192');
  ckksKeys = generateSealKeys(ckks);
  small = await createSealContext('bfv-4096');
  smallKeys = generateSealKeys(small, { galois: false });
});

afterAll(() => {
  for (const ct of owned) ct.delete();
  for (const k of [bfvKeys, ckksKeys, smallKeys]) k?.delete();
  for (const c of [bfv, ckks, small]) c?.delete();
});

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a refusal');
}

/** BFV slot model: 2 rows of rowSize, each rotated left by `steps`. */
function rotateRowsModel(values: readonly number[], rowSize: number, steps: number): number[] {
  const full = Array.from({ length: 2 * rowSize }, (_, i) => values[i] ?? 0);
  return full.map((_, i) => {
    const row = Math.floor(i / rowSize);
    const col = (((i % rowSize) + steps) % rowSize + rowSize) % rowSize;
    return full[row * rowSize + col]!;
  });
}

describe('contexts', () => {
  it('describes the presets', () => {
    expect(bfv.slotCount).toBe(8192);
    expect(bfv.rowSize).toBe(4096);
    expect(bfv.plainModulus! > 2n ** 29n).toBe(true);
    expect(ckks.slotCount).toBe(4096);
    expect(ckks.scale).toBe(2 ** 40);
    expect(bfv.parameterHashHex).not.toBe(ckks.parameterHashHex);
  });

  it('refuses an unknown preset', async () => {
    await expect(createSealContext('bfv-1024' as never)).rejects.toThrow(/unknown SEAL preset/);
  });
});

describe('BFV', () => {
  it('round-trips signed values, negatives included', () => {
    const half = Number((bfv.plainModulus! - 1n) / 2n);
    const values = [0, 1, -1, 42, -42, half, -half, 123456, -7654321];
    const ct = own(bfvEncrypt(bfvKeys, values));
    expect(Array.from(bfvDecrypt(bfvKeys, ct, values.length))).toEqual(values);
    const big = own(bfvEncrypt(bfvKeys, BigInt64Array.from([-5n, 5n])));
    expect(Array.from(bfvDecrypt(bfvKeys, big, 3))).toEqual([-5, 5, 0]);
  });

  it('refuses values outside ±(t-1)/2 or too many', () => {
    const t = Number(bfv.plainModulus!);
    expect(refusal(() => bfvEncrypt(bfvKeys, [0, t])).message).toMatch(/index 1 is outside/);
    expect(refusal(() => bfvEncrypt(bfvKeys, [1.5])).message).toMatch(/not an integer/);
    expect(refusal(() => bfvEncrypt(bfvKeys, new Int32Array(8193))).message).toMatch(/do not fit 8192/);
  });

  it('adds, multiplies and rotates like plaintext arithmetic', () => {
    const a = Array.from({ length: 8192 }, (_, i) => ((i * 7919) % 2001) - 1000);
    const b = Array.from({ length: 8192 }, (_, i) => ((i * 104729) % 401) - 200);
    const ca = own(bfvEncrypt(bfvKeys, a));
    const cb = own(bfvEncrypt(bfvKeys, b));
    expect(Array.from(bfvDecrypt(bfvKeys, own(sealAdd(bfvKeys, ca, cb))))).toEqual(a.map((x, i) => x + b[i]!));
    const prod = own(sealMultiply(bfvKeys, ca, cb));
    expect(Array.from(bfvDecrypt(bfvKeys, prod))).toEqual(a.map((x, i) => Math.imul(x, b[i]!)));
    expect(bfvNoiseBudget(bfvKeys, prod)).toBeGreaterThan(0);
    for (const steps of [1, 4, 1024]) {
      const rot = own(sealRotate(bfvKeys, ca, steps));
      expect(Array.from(bfvDecrypt(bfvKeys, rot))).toEqual(rotateRowsModel(a, 4096, steps));
    }
    const swapped = own(sealRotate(bfvKeys, ca, 0));
    expect(Array.from(bfvDecrypt(bfvKeys, swapped))).toEqual([...a.slice(4096), ...a.slice(0, 4096)]);
    expect(refusal(() => sealRotate(bfvKeys, ca, 3)).message).toMatch(/no key for a rotation by 3/);
    expect(refusal(() => sealRotate(bfvKeys, ca, -1)).details).toMatchObject({ reason: 'missing-key', step: -1 });
    expect(refusal(() => sealRotate(smallKeys, own(bfvEncrypt(smallKeys, [1])), 1)).message).toMatch(/Galois keys/);
  });

  it('sums slots (rotate-and-sum), whole vector and in blocks', () => {
    const values = Array.from({ length: 8192 }, (_, i) => (i % 13) - 6);
    const ct = own(bfvEncrypt(bfvKeys, values));
    const total = values.reduce((s, v) => s + v, 0);
    const all = bfvDecrypt(bfvKeys, own(sealSumSlots(bfvKeys, ct)));
    expect(all[0]).toBe(total);
    expect(all[8191]).toBe(total);
    const blocks = bfvDecrypt(bfvKeys, own(sealSumSlots(bfvKeys, ct, 16)));
    for (const j of [0, 5, 255, 256, 511]) {
      expect(blocks[j * 16]).toBe(values.slice(j * 16, j * 16 + 16).reduce((s, v) => s + v, 0));
    }
  });

  it('property: add and multiply agree with integers (small vectors)', () => {
    const small16 = fc.array(fc.integer({ min: -20000, max: 20000 }), { minLength: 1, maxLength: 16 });
    fc.assert(
      fc.property(small16, small16, (xs, ys) => {
        const n = Math.min(xs.length, ys.length);
        const a = xs.slice(0, n);
        const b = ys.slice(0, n);
        const ca = bfvEncrypt(bfvKeys, a);
        const cb = bfvEncrypt(bfvKeys, b);
        const sum = sealAdd(bfvKeys, ca, cb);
        const prod = sealMultiply(bfvKeys, ca, cb);
        try {
          expect(Array.from(bfvDecrypt(bfvKeys, sum, n))).toEqual(a.map((x, i) => x + b[i]!));
          expect(Array.from(bfvDecrypt(bfvKeys, prod, n))).toEqual(a.map((x, i) => Math.imul(x, b[i]!)));
        } finally {
          for (const c of [ca, cb, sum, prod]) c.delete();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('adds plaintext values (the slow path, for comparison)', () => {
    const ct = own(bfvEncrypt(bfvKeys, [1, -2, 3]));
    expect(Array.from(bfvDecrypt(bfvKeys, own(sealAddPlain(bfvKeys, ct, [10, 10, -10])), 3))).toEqual([11, 8, -7]);
  });
});

describe('CKKS', () => {
  it('round-trips reals within 1e-5', () => {
    const values = [0, 1.5, -2.25, 3.14159, -1000.001, 1e-3];
    const out = ckksDecrypt(ckksKeys, own(ckksEncrypt(ckksKeys, values)), values.length);
    values.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
  });

  it('adds, multiplies (with rescale) and rotates', () => {
    const a = Array.from({ length: 4096 }, (_, i) => Math.sin(i));
    const b = Array.from({ length: 4096 }, (_, i) => Math.cos(i) * 2);
    const ca = own(ckksEncrypt(ckksKeys, a));
    const cb = own(ckksEncrypt(ckksKeys, b));
    const sum = ckksDecrypt(ckksKeys, own(sealAdd(ckksKeys, ca, cb)));
    const prod = ckksDecrypt(ckksKeys, own(sealMultiply(ckksKeys, ca, cb)));
    const rot = ckksDecrypt(ckksKeys, own(sealRotate(ckksKeys, ca, 8)));
    for (const i of [0, 1, 100, 4095]) {
      expect(sum[i]).toBeCloseTo(a[i]! + b[i]!, 5);
      expect(prod[i]).toBeCloseTo(a[i]! * b[i]!, 4);
      expect(rot[i]).toBeCloseTo(a[(i + 8) % 4096]!, 5);
    }
    // a product sits one level lower: adding it to a fresh ciphertext is refused with SEAL's reason, not a crash
    const lower = own(sealMultiply(ckksKeys, ca, cb));
    expect(refusal(() => sealAdd(ckksKeys, lower, ca)).message).toMatch(/homomorphic add: .*mismatch/);
  });

  it('property: add and multiply agree with reals within tolerance (small vectors)', () => {
    const reals = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(reals, reals, (xs, ys) => {
        const n = Math.min(xs.length, ys.length);
        const ca = ckksEncrypt(ckksKeys, xs.slice(0, n));
        const cb = ckksEncrypt(ckksKeys, ys.slice(0, n));
        const sum = sealAdd(ckksKeys, ca, cb);
        const prod = sealMultiply(ckksKeys, ca, cb);
        try {
          const s = ckksDecrypt(ckksKeys, sum, n);
          const p = ckksDecrypt(ckksKeys, prod, n);
          for (let i = 0; i < n; i++) {
            expect(Math.abs(s[i]! - (xs[i]! + ys[i]!))).toBeLessThan(1e-5);
            expect(Math.abs(p[i]! - xs[i]! * ys[i]!)).toBeLessThan(1e-3);
          }
        } finally {
          for (const c of [ca, cb, sum, prod]) c.delete();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('dot product of 4096-element vectors within tolerance', () => {
    const w = Array.from({ length: 4096 }, (_, i) => ((i % 17) - 8) / 10);
    const x = Array.from({ length: 4096 }, (_, i) => ((i * 31) % 23) / 7 - 1.5);
    const expected = w.reduce((s, wi, i) => s + wi * x[i]!, 0);
    const weights = own(ckksEncrypt(ckksKeys, w));
    const score = ckksDecrypt(ckksKeys, own(ckksDotProduct(ckksKeys, weights, x)));
    expect(Math.abs(score[0]! - expected)).toBeLessThan(1e-3);
    expect(Math.abs(score[2000]! - expected)).toBeLessThan(1e-3);
  });

  it('scores many plaintext rows against encrypted weights, packing rows per ciphertext and masking the rest', () => {
    const d = 20; // width 32 → 128 rows per ciphertext
    const w = Array.from({ length: d }, (_, i) => (i - 10) / 7);
    const rows = Array.from({ length: 300 }, (_, r) => Array.from({ length: d }, (_, i) => (r % 5 === 4 ? 0 : Math.sin(r + i * 3))));
    // the bank: keys and encrypted weights; the platform only gets evaluation keys and the ciphertext
    const evalKeys = sealEvaluationKeys(ckksKeys);
    try {
      expect(evalKeys.secretKey).toBeUndefined();
      const upload = encryptCompact(ckksKeys, replicateWeights(w, ckks.slotCount));
      const weights = own(deserializeCiphertext(ckks, upload));
      const scores = ckksScoreRows(evalKeys, weights, rows);
      scores.forEach(own);
      expect(scores).toHaveLength(3);
      const got = ckksDecryptScores(ckksKeys, scores, rows.length, d);
      rows.forEach((row, r) => expect(Math.abs(got[r]! - row.reduce((s, v, i) => s + v * w[i]!, 0))).toBeLessThan(1e-4));
      // every slot but the scores is zeroed: the key holder learns the scores only
      const slots = ckksDecrypt(ckksKeys, scores[0]!);
      for (const i of [1, 2, 31, 33, 100]) expect(Math.abs(slots[i]!)).toBeLessThan(1e-4);
      // an all-zero block still yields a (zero) ciphertext
      const zeros = ckksScoreRows(evalKeys, weights, [new Array<number>(d).fill(0)]);
      zeros.forEach(own);
      expect(Math.abs(ckksDecryptScores(ckksKeys, zeros, 1, d)[0]!)).toBeLessThan(1e-4);
      expect(refusal(() => evalKeys.decryptor()).message).toMatch(/secret key/);
      expect(refusal(() => ckksScoreRows(evalKeys, weights, [[1, 2], [3]])).message).toMatch(/row 1 has 1 entries/);
    } finally {
      evalKeys.delete();
    }
  });

  it('refuses a BFV ciphertext in a CKKS operation', () => {
    const ct = own(bfvEncrypt(bfvKeys, [1]));
    expect(refusal(() => ckksDotProduct(ckksKeys, ct, [1])).details).toMatchObject({ reason: 'scheme-mismatch' });
    expect(refusal(() => ckksDecrypt(ckksKeys, ct)).message).toMatch(/another SEAL context/);
  });
});

describe('serialization', () => {
  it('round-trips ciphertexts as bytes and base64; seeded is about half the size', () => {
    const values = Array.from({ length: 8192 }, (_, i) => (i % 1000) - 500);
    const ct = own(bfvEncrypt(bfvKeys, values));
    const full = serializeCiphertext(ct);
    const raw = serializeCiphertext(ct, 'none');
    const seeded = encryptCompact(bfvKeys, values);
    expect(full.length).toBeLessThan(raw.length);
    expect(seeded.length).toBeLessThan(full.length * 0.6);
    expect(Array.from(full.subarray(0, 4))).toEqual([0x53, 0x45, 0x41, 0x4c]);
    for (const data of [full, raw, seeded, sealBytesToBase64(seeded)]) {
      expect(Array.from(bfvDecrypt(bfvKeys, own(deserializeCiphertext(bfv, data))))).toEqual(values);
    }
  });

  it('round-trips keys; seeded public/relin/Galois keys are about half the size', () => {
    const pk = serializeSealKey(bfvKeys, 'public-key');
    const sk = serializeSealKey(bfvKeys, 'secret-key');
    const rk = serializeSealKey(bfvKeys, 'relin-keys');
    const gk = serializeSealKey(bfvKeys, 'galois-keys');
    const fullPk = bfvKeys.publicKey!.saveToArray(bfv.seal.ComprModeType.zstd);
    expect(pk.length - ENVELOPE_HEADER_BYTES).toBeLessThan(fullPk.length * 0.6);
    const client = deserializeSealKeys(bfv, { secretKey: sealBytesToBase64(sk) });
    const server = deserializeSealKeys(bfv, { publicKey: pk, relinKeys: rk, galoisKeys: gk });
    try {
      const a = own(bfvEncrypt(server, [3, -4, 5]));
      const b = own(bfvEncrypt(server, [-2, 2, 2]));
      const prod = own(sealMultiply(server, a, b));
      const summed = own(sealSumSlots(server, prod));
      expect(Array.from(bfvDecrypt(client, prod, 3))).toEqual([-6, -8, 10]);
      expect(bfvDecrypt(client, summed, 1)[0]).toBe(-4);
      // a secret-key-only set encrypts too (it derives a public key)
      expect(Array.from(bfvDecrypt(client, own(bfvEncrypt(client, [9])), 1))).toEqual([9]);
      expect(serializeSealKey(server, 'public-key')).toEqual(pk);
      expect(refusal(() => serializeSealKey(server, 'secret-key')).details).toMatchObject({ reason: 'missing-key' });
    } finally {
      client.delete();
      server.delete();
    }
  });

  it('refuses ciphertexts from other parameters, other kinds, or malformed bytes with a clear error', () => {
    const bfvCt = serializeCiphertext(own(bfvEncrypt(bfvKeys, [1, 2])));
    const ckksCt = serializeCiphertext(own(ckksEncrypt(ckksKeys, [1, 2])));
    const smallCt = serializeCiphertext(own(bfvEncrypt(smallKeys, [1, 2])));

    let e = refusal(() => deserializeCiphertext(bfv, ckksCt));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/ciphertext was made for SEAL parameters ckks-8192, but this context is bfv-8192/);
    expect(e.details).toMatchObject({ reason: 'scheme-mismatch' });

    e = refusal(() => deserializeCiphertext(bfv, smallCt));
    expect(e.details).toMatchObject({ reason: 'parameter-mismatch', expected: 'bfv-8192', found: 'bfv-4096' });

    // a forged header over another parameter set's payload: SEAL's own check, mapped
    const spliced = new Uint8Array([...bfvCt.subarray(0, ENVELOPE_HEADER_BYTES), ...smallCt.subarray(ENVELOPE_HEADER_BYTES)]);
    e = refusal(() => deserializeCiphertext(bfv, spliced));
    expect(e.details).toMatchObject({ reason: 'malformed' });
    expect(e.message).toMatch(/^loading ciphertext: /);

    // wrong parameter hash under the right preset
    const otherHash = bfvCt.slice();
    otherHash[8] = otherHash[8]! ^ 0xff;
    expect(refusal(() => deserializeCiphertext(bfv, otherHash)).message).toMatch(/different bfv-8192 parameter set/);

    expect(refusal(() => deserializeCiphertext(bfv, bfvCt.subarray(0, 500))).message).toMatch(/^loading ciphertext: /);
    expect(refusal(() => deserializeCiphertext(bfv, new Uint8Array([1, 2, 3]))).message).toMatch(/not a serialized SEAL object/);
    expect(refusal(() => deserializeCiphertext(bfv, 'not base64!')).message).toMatch(/not valid base64/);
    const future = bfvCt.slice();
    future[4] = 9;
    expect(refusal(() => deserializeCiphertext(bfv, future)).details).toMatchObject({ reason: 'unsupported-version' });
  });

  it('refuses keys of the wrong kind, scheme or size', () => {
    const pk = serializeSealKey(bfvKeys, 'public-key');
    expect(refusal(() => deserializeCiphertext(bfv, pk)).message).toMatch(/expected ciphertext but the data holds public key/);
    expect(refusal(() => deserializeSealKeys(bfv, { relinKeys: pk })).details).toMatchObject({ reason: 'wrong-kind' });
    expect(refusal(() => deserializeSealKeys(ckks, { publicKey: pk })).message).toMatch(
      /public key was made for SEAL parameters bfv-8192, but this context is ckks-8192/,
    );
    const smallPk = serializeSealKey(smallKeys, 'public-key');
    expect(refusal(() => deserializeSealKeys(bfv, { publicKey: smallPk })).details).toMatchObject({ reason: 'parameter-mismatch' });
    // a 4096 key's payload under an 8192 header: wrong size, refused by SEAL, mapped
    const spliced = new Uint8Array([...pk.subarray(0, ENVELOPE_HEADER_BYTES), ...smallPk.subarray(ENVELOPE_HEADER_BYTES)]);
    expect(refusal(() => deserializeSealKeys(bfv, { publicKey: spliced })).message).toMatch(/^loading public key: /);
  });
});
