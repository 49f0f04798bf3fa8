import fc from 'fast-check';
import { generateRandomKeys } from 'paillier-bigint';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import {
  decodeFixedPoint,
  deserializeCiphertext,
  deserializeCiphertexts,
  deserializePrivateKey,
  deserializePublicKey,
  encodeFixedPoint,
  generatePaillierKeys,
  packingLayout,
  packVector,
  paillierKeysFromPrimes,
  type PaillierKeyPair,
  RandomnessPool,
  serializeCiphertext,
  serializeCiphertexts,
  serializePrivateKey,
  serializePublicKey,
  unpackVector,
} from './index.ts';
import { FixedBaseTable, isqrt, modPow } from './bigint-math.ts';

function expectReason(fn: () => unknown, reason: string): void {
  try {
    fn();
  } catch (err) {
    expect(isAppError(err)).toBe(true);
    if (isAppError(err)) expect(err.details?.reason).toBe(reason);
    return;
  }
  throw new Error(`expected an AppError with reason ${reason}`);
}

// two 256-bit primes (2^256 − 189 and 2^255 − 19): a 511-bit test modulus for fast property tests
const P = (1n << 256n) - 189n;
const Q = (1n << 255n) - 19n;

describe('known answers', () => {
  it('n = 77, g = 5652, m = 42, r = 23 → c = 4624, and back', () => {
    const { publicKey, privateKey } = paillierKeysFromPrimes(7n, 11n, { g: 5652n, allowInsecureSmallKeys: true });
    expect(publicKey.encrypt(42n, { r: 23n })).toBe(4624n);
    expect(privateKey.decrypt(4624n)).toBe(42n);
  });

  it('g = n + 1: g^m = 1 + m·n, agrees with paillier-bigint', async () => {
    const { publicKey, privateKey } = paillierKeysFromPrimes(7n, 11n, { allowInsecureSmallKeys: true });
    // (1 + 42·77)·23^77 mod 77²
    expect(publicKey.encrypt(42n, { r: 23n })).toBe(((1n + 42n * 77n) * modPow(23n, 77n, 5929n)) % 5929n);
    const { PublicKey } = await import('paillier-bigint');
    expect(new PublicKey(77n, 78n).encrypt(42n, 23n)).toBe(publicKey.encrypt(42n, { r: 23n }));
    for (let m = 0n; m < 77n; m++) expect(privateKey.decrypt(publicKey.encrypt(m))).toBe(m);
  });

  it('fixed-base table agrees with modPow', () => {
    const m = (1n << 127n) - 1n;
    const t = new FixedBaseTable(123456789n, m, 200, 6);
    for (const e of [0n, 1n, 63n, 64n, (1n << 200n) - 1n, 0xdeadbeefcafebaben]) expect(t.pow(e)).toBe(modPow(123456789n, e, m));
  });
});

describe('Paillier (511-bit test key)', () => {
  const keys = paillierKeysFromPrimes(P, Q, { allowInsecureSmallKeys: true, djn: { exponentBits: 256 } });
  const textbook = paillierKeysFromPrimes(P, Q, { allowInsecureSmallKeys: true, djn: false });
  const n = keys.publicKey.n;
  const big = fc.bigInt({ min: 0n, max: n - 1n });

  it('round-trips (DJN and textbook randomness, pool)', () => {
    const pool = new RandomnessPool(keys.publicKey, 8);
    pool.refill(4);
    fc.assert(
      fc.property(big, (m) => {
        expect(keys.privateKey.decrypt(keys.publicKey.encrypt(m))).toBe(m);
        expect(textbook.privateKey.decrypt(textbook.publicKey.encrypt(m))).toBe(m);
        expect(keys.privateKey.decrypt(keys.publicKey.encrypt(m, { pool }))).toBe(m);
      }),
      { numRuns: 30 },
    );
    expect(pool.size).toBe(0);
    expect(pool.misses).toBeGreaterThan(0);
    expectReason(() => pool.take(paillierKeysFromPrimes(7n, 11n, { allowInsecureSmallKeys: true }).publicKey), 'pool-key-mismatch');
  });

  it('adds, adds plaintexts and multiplies by plaintexts (signed)', () => {
    const small = fc.bigInt({ min: -(1n << 200n), max: 1n << 200n });
    fc.assert(
      fc.property(small, small, fc.bigInt({ min: -1000n, max: 1000n }), (a, b, k) => {
        const { publicKey: pk, privateKey: sk } = keys;
        const ca = pk.encrypt(a);
        const cb = pk.encrypt(b);
        expect(sk.decryptSigned(pk.add(ca, cb))).toBe(a + b);
        expect(sk.decryptSigned(pk.addPlain(ca, b))).toBe(a + b);
        expect(sk.decryptSigned(pk.multiplyPlain(ca, k))).toBe(a * k);
        expect(sk.decryptSigned(pk.rerandomize(ca))).toBe(a);
      }),
      { numRuns: 30 },
    );
  });

  it('fixed-point encodes reals and negatives, with overflow checks', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 5 }), (xs) => {
        const pk = keys.publicKey;
        const c = pk.add(...xs.map((x) => pk.encrypt(encodeFixedPoint(x, n, 32))));
        const expected = xs.reduce((s, x) => s + Math.round(x * 2 ** 32) / 2 ** 32, 0);
        expect(decodeFixedPoint(keys.privateKey.decrypt(c), n, 32)).toBeCloseTo(expected, 3);
      }),
      { numRuns: 30 },
    );
    const pk = keys.publicKey;
    const c = pk.multiplyPlain(pk.encrypt(encodeFixedPoint(-1.5, n, 16)), encodeFixedPoint(2.25, n, 16));
    expect(decodeFixedPoint(keys.privateKey.decrypt(c), n, 32)).toBe(-3.375);
    expectReason(() => encodeFixedPoint(2 ** 600, n, 0), 'fixed-point-overflow');
    expectReason(() => encodeFixedPoint(Number.POSITIVE_INFINITY, n), 'not-finite');
    expectReason(() => pk.encrypt(n), 'plaintext-overflow');
  });

  it('packs vectors with headroom for additions', () => {
    const layout = packingLayout(n, 20, 16);
    expect(layout.slotBits).toBe(24);
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 2 ** 20 - 1 }), { minLength: 50, maxLength: 50 }), { minLength: 1, maxLength: 16 }), (vs) => {
        const pk = keys.publicKey;
        const packed = vs.map((v) => packVector(v, layout).map((m) => pk.encrypt(m)));
        const summed = packed[0]!.map((_, j) => pk.add(...packed.map((p) => p[j]!)));
        const out = unpackVector(summed.map((c) => keys.privateKey.decrypt(c)), layout, 50);
        expect(out).toEqual(vs[0]!.map((_, i) => BigInt(vs.reduce((s, v) => s + v[i]!, 0))));
      }),
      { numRuns: 10 },
    );
    expectReason(() => packVector([2 ** 20], layout), 'slot-overflow');
    expectReason(() => packVector([-1], layout), 'slot-overflow');
  });

  it('serializes (versioned hex JSON) and refuses malformed or foreign input', () => {
    const opts = { allowInsecureSmallKeys: true };
    const pk = deserializePublicKey(serializePublicKey(keys.publicKey), opts);
    const sk = deserializePrivateKey(serializePrivateKey(keys.privateKey), opts);
    expect(pk.n).toBe(n);
    expect(pk.djn?.hs).toBe(keys.publicKey.djn?.hs);
    const c = pk.encrypt(12345n);
    expect(sk.decrypt(deserializeCiphertext(sk.publicKey, serializeCiphertext(pk, c)))).toBe(12345n);
    expect(deserializeCiphertexts(pk, serializeCiphertexts(pk, [c, c]))).toEqual([c, c]);

    expectReason(() => deserializePublicKey(serializePublicKey(keys.publicKey)), 'key-too-small');
    expectReason(() => deserializePublicKey('{"v":1,"scheme":"sm2","type":"public-key"}'), 'wrong-scheme');
    expectReason(() => deserializePublicKey('{"v":2,"scheme":"paillier","type":"public-key"}'), 'unsupported-version');
    expectReason(() => deserializePublicKey('not json'), 'malformed');
    expectReason(() => deserializePublicKey(serializePrivateKey(keys.privateKey), opts), 'wrong-type');
    const wrongBits = JSON.parse(serializePublicKey(keys.publicKey)) as Record<string, unknown>;
    wrongBits.bits = 2048;
    expectReason(() => deserializePublicKey(JSON.stringify(wrongBits), opts), 'wrong-key-size');
    const other = paillierKeysFromPrimes(7n, 11n, { allowInsecureSmallKeys: true }).publicKey;
    expectReason(() => deserializeCiphertext(other, serializeCiphertext(pk, c)), 'wrong-key');
    const forged = JSON.parse(serializeCiphertext(pk, c)) as { c: string[] };
    forged.c = [(pk.n2 + 5n).toString(16)];
    expectReason(() => deserializeCiphertext(pk, JSON.stringify(forged)), 'ciphertext-out-of-range');
    forged.c = ['xyz'];
    expectReason(() => deserializeCiphertext(pk, JSON.stringify(forged)), 'malformed');
    forged.c = [P.toString(16)];
    expectReason(() => deserializeCiphertext(pk, JSON.stringify(forged)), 'ciphertext-not-unit');
    expectReason(() => keys.privateKey.decrypt(0n), 'ciphertext-out-of-range');
  });

  it('refuses keys below 2048 bits unless told it is a test', async () => {
    await expect(generatePaillierKeys(1024)).rejects.toMatchObject({ details: { reason: 'key-too-small' } });
  });
});

describe('Paillier 2048-bit', () => {
  let keys: PaillierKeyPair;
  beforeAll(async () => {
    keys = await generatePaillierKeys(2048);
  }, 120_000);

  it('round-trips, adds, and interoperates with paillier-bigint ciphertexts', async () => {
    const { publicKey: pk, privateKey: sk } = keys;
    expect(pk.bits).toBe(2048);
    const a = (1n << 2000n) + 12345n;
    const ca = pk.encrypt(a);
    expect(sk.decrypt(ca)).toBe(a);
    expect(sk.decryptSigned(pk.add(pk.encrypt(-7n), pk.encrypt(5n)))).toBe(-2n);
    const { PublicKey } = await import('paillier-bigint');
    expect(sk.decrypt(new PublicKey(pk.n, pk.n + 1n).encrypt(99n))).toBe(99n);
    const pool = new RandomnessPool(pk, 2);
    pool.refill();
    expect(sk.decrypt(pk.encrypt(3n, { pool }))).toBe(3n);
    expect(deserializePublicKey(serializePublicKey(pk)).keyId).toBe(pk.keyId);
  });
});

// keep the import of generateRandomKeys honest: paillier-bigint's own keys decrypt under our CRT code
describe('paillier-bigint interop', () => {
  it('decrypts a paillier-bigint ciphertext under a key imported from p, q', async () => {
    const ref = await generateRandomKeys(512, true);
    const phi = ref.privateKey.lambda;
    const nRef = ref.publicKey.n;
    const s = nRef - phi + 1n;
    const d = isqrt(s * s - 4n * nRef);
    const ours = paillierKeysFromPrimes((s + d) / 2n, (s - d) / 2n, { allowInsecureSmallKeys: true });
    expect(ours.privateKey.decrypt(ref.publicKey.encrypt(4242n))).toBe(4242n);
  });
});
