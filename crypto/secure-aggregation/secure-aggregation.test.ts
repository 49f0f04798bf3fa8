import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import {
  aesCtrKeystream,
  combineShares,
  dequantize,
  expandMask,
  generateX25519,
  hkdfSha256,
  interpolate,
  pairwiseSeed,
  quantize,
  SecAggClient,
  type SecAggParams,
  SecAggServer,
  splitSecret,
  x25519Agree,
  x25519PrivateFromRaw,
  x25519PublicRaw,
} from './index.ts';
import { createPublicKey, randomBytes } from 'node:crypto';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

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

describe('known answers', () => {
  it('X25519 (RFC 7748 §6.1)', () => {
    const alice = x25519PrivateFromRaw(hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
    const bob = x25519PrivateFromRaw(hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'));
    const alicePub = x25519PublicRaw(createPublicKey(alice));
    const bobPub = x25519PublicRaw(createPublicKey(bob));
    expect(toHex(alicePub)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bobPub)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const k = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(x25519Agree(alice, bobPub))).toBe(k);
    expect(toHex(x25519Agree(bob, alicePub))).toBe(k);
  });

  it('HKDF-SHA256 (RFC 5869 test case 1)', () => {
    const okm = hkdfSha256(new Uint8Array(22).fill(0x0b), hex('000102030405060708090a0b0c'), hex('f0f1f2f3f4f5f6f7f8f9'), 42);
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('AES-CTR keystream (NIST SP 800-38A F.5.1 and F.5.5)', () => {
    const ctr = hex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
    const xor = (a: Uint8Array, b: Uint8Array) => toHex(a.map((x, i) => x ^ b[i]!));
    const p1 = hex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51');
    const ks128 = aesCtrKeystream(hex('2b7e151628aed2a6abf7158809cf4f3c'), ctr, 32);
    expect(xor(p1, ks128)).toBe('874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff');
    const ks256 = aesCtrKeystream(hex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4'), ctr, 16);
    expect(xor(p1.subarray(0, 16), ks256)).toBe('601ec313775789a5b7a7f504bbf3d228');
  });

  it('expands masks with AES-256-CTR under IV 0, little-endian words', () => {
    const seed = new Uint8Array(32).fill(7);
    const c = createCipheriv('aes-256-ctr', seed, new Uint8Array(16)).update(new Uint8Array(8));
    expect([...expandMask(seed, 2)]).toEqual([c.readUInt32LE(0), c.readUInt32LE(4)]);
  });
});

describe('Shamir sharing over GF(2^521 − 1)', () => {
  it('any t shares recover the secret; t − 1 do not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 10 }), fc.nat(), (t, extra, seed) => {
        const n = t + extra;
        const xs = Array.from({ length: n }, (_, i) => i + 1 + (seed % 1000));
        const secret = new Uint8Array(randomBytes(32));
        const shares = splitSecret(secret, xs, t);
        const subset = [...shares].sort((a, b) => ((a.x * 7919 + seed) % 101) - ((b.x * 7919 + seed) % 101)).slice(0, t);
        expect(toHex(combineShares(subset, t))).toBe(toHex(secret));
        expectReason(() => combineShares(subset.slice(0, t - 1), t), 'too-few-shares');
        // interpolating t − 1 shares gives some other field element (information-theoretically independent)
        expect(interpolate(subset.slice(0, t - 1))).not.toBe(BigInt('0x' + toHex(secret)));
      }),
      { numRuns: 40 },
    );
  });
});

describe('quantization', () => {
  it('round-trips reals and sums within the bound', () => {
    const p = { bits: 32, scale: 2 ** 16, parties: 10 };
    const values = [1.5, -2.25, 0, 3000.125];
    expect([...dequantize(quantize(values, p), p)]).toEqual(values);
    expectReason(() => quantize([1e6], p), 'quantization-overflow');
    expectReason(() => quantize([Number.NaN], p), 'quantization-overflow');
  });
});

interface RunOptions {
  n: number;
  t: number;
  bits: number;
  length: number;
  /** drop after round 0 (never share keys) */
  dropBeforeShare?: number[];
  /** drop after round 1 (shares sent, no masked input) */
  dropBeforeInput?: number[];
  /** drop after round 2 (input sent, no unmasking) */
  dropBeforeUnmask?: number[];
}

function runProtocol(o: RunOptions, inputs: Uint32Array[]) {
  const params: SecAggParams = { session: 'test-' + toHex(randomBytes(4)), parties: Array.from({ length: o.n }, (_, i) => i + 1), threshold: o.t, bits: o.bits, length: o.length };
  const server = new SecAggServer(params);
  const clients = params.parties.map((id) => new SecAggClient(id, params));
  for (const c of clients) server.receive(c.advertiseKeys());
  const dir = server.closeAdvertiseKeys();
  const active = clients.filter((c) => !o.dropBeforeShare?.includes(c.id));
  for (const c of active) server.receive(c.shareKeys(dir));
  const deliveries = server.closeShareKeys();
  const inputters = active.filter((c) => !o.dropBeforeInput?.includes(c.id));
  for (const c of inputters) server.receive(c.maskedInput(deliveries.get(c.id)!, inputs[c.id - 1]!));
  const list = server.closeMaskedInput();
  for (const c of inputters.filter((c) => !o.dropBeforeUnmask?.includes(c.id))) server.receive(c.unmask(list));
  return { sum: server.result(), survivors: server.survivors, server, clients, params };
}

function expectedSum(inputs: Uint32Array[], ids: readonly number[], bits: number, length: number): number[] {
  const out = new Array<number>(length).fill(0);
  for (const id of ids) for (let i = 0; i < length; i++) out[i] = (out[i]! + inputs[id - 1]![i]!) % 2 ** bits;
  return out;
}

function randomInputs(n: number, length: number, bits: number): Uint32Array[] {
  return Array.from({ length: n }, () => {
    const v = new Uint32Array(randomBytes(length * 4).buffer);
    if (bits < 32) for (let i = 0; i < length; i++) v[i] = v[i]! & (2 ** bits - 1);
    return v;
  });
}

describe('secure aggregation protocol', () => {
  it('pairwise masks cancel exactly', () => {
    const a = generateX25519();
    const b = generateX25519();
    const s1 = pairwiseSeed(a.privateKey, b.publicKey, 's', 1, 2);
    const s2 = pairwiseSeed(b.privateKey, a.publicKey, 's', 2, 1);
    expect(toHex(s1)).toBe(toHex(s2));
    const m = expandMask(s1, 100);
    const x = new Uint32Array(100).map((_, i) => i * 1000);
    const y1 = x.map((v, i) => (v + m[i]!) >>> 0);
    const y2 = new Uint32Array(100).map((_, i) => (0 - m[i]!) >>> 0);
    expect([...y1.map((v, i) => (v + y2[i]!) >>> 0)]).toEqual([...x]);
  });

  it('sums with no dropouts', () => {
    const o = { n: 5, t: 3, bits: 32, length: 64 };
    const inputs = randomInputs(o.n, o.length, o.bits);
    const { sum } = runProtocol(o, inputs);
    expect([...sum]).toEqual(expectedSum(inputs, [1, 2, 3, 4, 5], o.bits, o.length));
  });

  it('tolerates up to n − t dropouts in any round (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            t: fc.integer({ min: 2, max: n }),
            bits: fc.integer({ min: 2, max: 32 }),
            fates: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
          }),
        ),
        ({ n, t, bits, fates }) => {
          // fate 0 = stays, 1 = drops before sharing, 2 = before input, 3 = before unmasking; keep ≥ t to the end
          let dropped = 0;
          const f = fates.map((x) => (x !== 0 && dropped < n - t ? (dropped++, x) : 0));
          const ids = (k: number) => f.flatMap((x, i) => (x === k ? [i + 1] : []));
          const o = { n, t, bits, length: 17, dropBeforeShare: ids(1), dropBeforeInput: ids(2), dropBeforeUnmask: ids(3) };
          const inputs = randomInputs(n, o.length, bits);
          const { sum, survivors } = runProtocol(o, inputs);
          const included = f.flatMap((x, i) => (x === 0 || x === 3 ? [i + 1] : []));
          expect([...survivors]).toEqual(included);
          expect([...sum]).toEqual(expectedSum(inputs, included, bits, o.length));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('sums quantized reals', () => {
    const q = { bits: 32, scale: 2 ** 12, parties: 4 };
    const reals = [[1.5, -3], [0.25, 2], [-10, 0.125], [4, 4]];
    const inputs = reals.map((r) => quantize(r, q));
    const { sum } = runProtocol({ n: 4, t: 3, bits: 32, length: 2, dropBeforeInput: [4] }, inputs);
    expect([...dequantize(sum, q)]).toEqual([-8.25, -0.875]);
  });

  it('refuses too few survivors, replayed, late and foreign messages', () => {
    const params: SecAggParams = { session: 's1', parties: [1, 2, 3, 4], threshold: 3, bits: 16, length: 4 };
    const server = new SecAggServer(params);
    const clients = params.parties.map((id) => new SecAggClient(id, params));
    const adv = clients.map((c) => c.advertiseKeys());
    server.receive(adv[0]!);
    expectReason(() => server.receive(adv[0]!), 'replayed-message');
    expectReason(() => server.receive({ ...adv[1]!, session: 'other' }), 'wrong-session');
    expectReason(() => server.receive({ ...adv[1]!, from: 9 }), 'unknown-party');
    expectReason(() => server.closeAdvertiseKeys(), 'too-few-parties');
    for (const a of adv.slice(1)) server.receive(a);
    const dir = server.closeAdvertiseKeys();
    expectReason(() => server.receive(adv[2]!), 'late-message');
    const sk = clients.map((c) => c.shareKeys(dir));
    expectReason(() => clients[0]!.shareKeys(dir), 'out-of-order');
    for (const s of sk.slice(0, 3)) server.receive(s);
    const deliveries = server.closeShareKeys();
    expectReason(() => server.receive(sk[3]!), 'late-message'); // party 4 was too slow: excluded from U2
    const inputs = [1, 2, 3].map((id) => new Uint32Array([id, id, id, id]));
    const m = [0, 1, 2].map((i) => clients[i]!.maskedInput(deliveries.get(i + 1)!, inputs[i]!));
    server.receive(m[0]!);
    server.receive(m[1]!);
    expectReason(() => server.receive(m[1]!), 'replayed-message');
    expectReason(() => server.closeMaskedInput(), 'too-few-parties');
    // a client refuses a survivor list below t (it would otherwise reveal the dropped party's key shares)
    expectReason(() => clients[0]!.unmask({ round: 2, session: 's1', survivors: [1, 2] }), 'too-few-parties');
  });

  it('refuses tampered share ciphertexts', () => {
    const params: SecAggParams = { session: 's2', parties: [1, 2, 3], threshold: 2, bits: 8, length: 1 };
    const server = new SecAggServer(params);
    const clients = params.parties.map((id) => new SecAggClient(id, params));
    for (const c of clients) server.receive(c.advertiseKeys());
    const dir = server.closeAdvertiseKeys();
    for (const c of clients) server.receive(c.shareKeys(dir));
    const d = server.closeShareKeys().get(1)!;
    const ct = new Uint8Array(d.shares[0]!.ct);
    ct[0]! ^= 1;
    expectReason(() => clients[0]!.maskedInput({ ...d, shares: [{ ...d.shares[0]!, ct }, d.shares[1]!] }, new Uint32Array([1])), 'bad-share-ciphertext');
  });
});
