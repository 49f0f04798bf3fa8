import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import fc from 'fast-check';
import { sm2 as library } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.ts';
import {
  SM2_N,
  generateSm2KeyPair,
  parseSm2PrivateKey,
  sm2KeyPairFromPrivateKey,
  sm2KeyPairToPem,
} from './keys.ts';
import { SM2_DEFAULT_USER_ID, sm2Sign, sm2Verify } from './sign.ts';

// ---------------------------------------------------------------------------------------------------------------
// An independent textbook SM2 (GB/T 32918.2 §6–7) over any prime curve, in plain BigInt arithmetic: slow, but short
// enough to read against the standard. It checks the standard's worked example on its test curve (which the library
// cannot take) and then vouches for the library on the recommended curve.
interface Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  gx: bigint;
  gy: bigint;
  n: bigint;
}
type Point = { x: bigint; y: bigint } | null;
const mod = (v: bigint, m: bigint) => ((v % m) + m) % m;
const inv = (v: bigint, m: bigint): bigint => {
  let [a, b, x0, x1] = [mod(v, m), m, 0n, 1n];
  while (a > 1n) {
    const q = a / b;
    [a, b] = [b, a % b];
    [x0, x1] = [x1 - q * x0, x0];
  }
  return mod(x1, m);
};
function add(c: Curve, P: Point, Q: Point): Point {
  if (!P) return Q;
  if (!Q) return P;
  if (P.x === Q.x && mod(P.y + Q.y, c.p) === 0n) return null;
  const l =
    P.x === Q.x && P.y === Q.y
      ? mod((3n * P.x * P.x + c.a) * inv(2n * P.y, c.p), c.p)
      : mod((Q.y - P.y) * inv(Q.x - P.x, c.p), c.p);
  const x = mod(l * l - P.x - Q.x, c.p);
  return { x, y: mod(l * (P.x - x) - P.y, c.p) };
}
function mul(c: Curve, k: bigint, P: Point): Point {
  let R: Point = null;
  for (let A = P, e = k; e > 0n; e >>= 1n, A = add(c, A, A)) if (e & 1n) R = add(c, R, A);
  return R;
}
const hex = (v: bigint) => v.toString(16).padStart(64, '0');
function referenceZ(c: Curve, userId: string, P: { x: bigint; y: bigint }): Buffer {
  const id = Buffer.from(userId, 'utf8');
  const entl = Buffer.from([(id.length * 8) >> 8, (id.length * 8) & 0xff]);
  const fields = Buffer.from([c.a, c.b, c.gx, c.gy, P.x, P.y].map(hex).join(''), 'hex');
  return createHash('sm3').update(Buffer.concat([entl, id, fields])).digest();
}
function referenceE(c: Curve, userId: string, P: { x: bigint; y: bigint }, message: string): bigint {
  const z = referenceZ(c, userId, P);
  return BigInt(`0x${createHash('sm3').update(Buffer.concat([z, Buffer.from(message, 'utf8')])).digest('hex')}`);
}
function referenceSign(c: Curve, userId: string, d: bigint, message: string, k: bigint) {
  const P = mul(c, d, { x: c.gx, y: c.gy })!;
  const e = referenceE(c, userId, P, message);
  const x1 = mul(c, k, { x: c.gx, y: c.gy })!.x;
  const r = mod(e + x1, c.n);
  const s = mod(inv(1n + d, c.n) * (k - r * d), c.n);
  return { P, r, s };
}
function referenceVerify(c: Curve, userId: string, P: { x: bigint; y: bigint }, message: string, r: bigint, s: bigint) {
  if (r < 1n || r >= c.n || s < 1n || s >= c.n) return false;
  const e = referenceE(c, userId, P, message);
  const t = mod(r + s, c.n);
  if (t === 0n) return false;
  const X = add(c, mul(c, s, { x: c.gx, y: c.gy }), mul(c, t, P));
  return X !== null && mod(e + X.x, c.n) === r;
}
const point = (publicKey: string) => ({ x: BigInt(`0x${publicKey.slice(2, 66)}`), y: BigInt(`0x${publicKey.slice(66)}`) });

/** The SM2 recommended curve sm2p256v1 (GB/T 32918.5-2017). */
const SM2P256V1: Curve = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
  n: SM2_N,
};

/** GB/T 32918.2-2016 Annex A (and draft-shen-sm2-ecdsa-02): the 256-bit prime-field test curve and its worked example. */
const ANNEX_A_CURVE: Curve = {
  p: 0x8542d69e4c044f18e8b92435bf6ff7de457283915c45517d722edb8b08f1dfc3n,
  a: 0x787968b4fa32c3fd2417842e73bbfeff2f3c848b6831d7e0ec65228b3937e498n,
  b: 0x63e4c6d3b23b0c849cf84241484bfe48f61d59a5b16ba06e6e12d1da27c5249an,
  gx: 0x421debd61b62eab6746434ebc3cc315e32220b3badd50bdc4c4e6c147fedd43dn,
  gy: 0x0680512bcbb42c07d47349d2153b70c4e5d7fdfcbfa36ea1a85841b9e46e09a2n,
  n: 0x8542d69e4c044f18e8b92435bf6ff7dd297720630485628d5ae74ee7c32e79b7n,
};
const ANNEX_A = {
  userId: 'ALICE123@YAHOO.COM',
  message: 'message digest',
  d: 0x128b2fa8bd433c6c068c8d803dff79792a519a55171b1b650c23661d15897263n,
  k: 0x6cb28d99385c175c94f94e934817663fc176d925dd72b727260dbaae1fb2f96fn,
  r: 0x40f1ec59f793d9f49e09dcef49130d4194f79fb1eed2caa55bacdb49c4e755d1n,
  s: 0x6fc6dac32c5d5cf10c77dfb20f7c2eb667a457872fb09ec56327a67ec7deebe7n,
};

/** GM/T 0003.5-2012 Annex A = GB/T 32918.5 Annex A: a signature on the recommended curve with the default ID. */
const GMT_0003_5 = {
  userId: SM2_DEFAULT_USER_ID,
  message: 'message digest',
  privateKey: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
  publicKey:
    '04' +
    '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
    'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
  signature:
    'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3' +
    'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
};

describe('SM2 known answers', () => {
  it('the reference reproduces the GB/T 32918.2 Annex A example on the test curve', () => {
    const { r, s, P } = referenceSign(ANNEX_A_CURVE, ANNEX_A.userId, ANNEX_A.d, ANNEX_A.message, ANNEX_A.k);
    expect(hex(r)).toBe(hex(ANNEX_A.r));
    expect(hex(s)).toBe(hex(ANNEX_A.s));
    expect(referenceVerify(ANNEX_A_CURVE, ANNEX_A.userId, P, ANNEX_A.message, r, s)).toBe(true);
  });

  it('derives the published public key of the GM/T 0003.5 example', () => {
    expect(sm2KeyPairFromPrivateKey(GMT_0003_5.privateKey).publicKey).toBe(GMT_0003_5.publicKey);
  });

  it('the library, given the published k, produces the GM/T 0003.5 signature (Z_A with the default ID)', () => {
    const x1 = BigInt(`0x${library.getPublicKeyFromPrivateKey(hex(GMT_0003_5.k)).slice(2, 66)}`);
    const signature = library.doSignature(GMT_0003_5.message, GMT_0003_5.privateKey, {
      hash: true,
      publicKey: GMT_0003_5.publicKey,
      userId: GMT_0003_5.userId,
      pointPool: [{ k: GMT_0003_5.k, x1 }],
    });
    expect(signature).toBe(GMT_0003_5.signature);
    const reference = referenceSign(SM2P256V1, GMT_0003_5.userId, BigInt(`0x${GMT_0003_5.privateKey}`), GMT_0003_5.message, GMT_0003_5.k);
    expect(hex(reference.r) + hex(reference.s)).toBe(GMT_0003_5.signature);
  });

  it('sm2Verify accepts the published signature and nothing near it', () => {
    const { message, signature, publicKey } = GMT_0003_5;
    expect(sm2Verify(message, signature, publicKey)).toBe(true);
    expect(sm2Verify(message, signature.toUpperCase(), publicKey.toUpperCase())).toBe(true);
    expect(sm2Verify('message digesT', signature, publicKey)).toBe(false);
    expect(sm2Verify(message, signature, publicKey, { userId: 'ALICE123@YAHOO.COM' })).toBe(false);
    expect(sm2Verify(message, `${signature.slice(0, 127)}${signature.endsWith('a') ? 'b' : 'a'}`, publicKey)).toBe(false);
  });
});

describe('SM2 sign and verify', () => {
  const keyPair = generateSm2KeyPair();
  const other = generateSm2KeyPair();

  it('round-trips any message, and the independent reference agrees', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ maxLength: 40 }), (message, userId) => {
        const signature = sm2Sign(message, keyPair, { userId });
        expect(signature).toMatch(/^[0-9a-f]{128}$/);
        expect(sm2Verify(message, signature, keyPair.publicKey, { userId })).toBe(true);
        const [r, s] = [BigInt(`0x${signature.slice(0, 64)}`), BigInt(`0x${signature.slice(64)}`)];
        expect(referenceVerify(SM2P256V1, userId, point(keyPair.publicKey), message, r, s)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('detects a changed message, key, user id or signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), (message, at) => {
        const signature = sm2Sign(message, keyPair);
        const changed = Uint8Array.from(message);
        const i = at % changed.length;
        changed[i] = changed[i]! ^ (1 << at % 8);
        expect(sm2Verify(changed, signature, keyPair.publicKey)).toBe(false);
        expect(sm2Verify(message, signature, other.publicKey)).toBe(false);
        expect(sm2Verify(message, signature, keyPair.publicKey, { userId: 'someone else' })).toBe(false);
        const j = at % 128;
        const flipped = signature.slice(0, j) + ((parseInt(signature[j]!, 16) ^ 1).toString(16)) + signature.slice(j + 1);
        expect(sm2Verify(message, flipped, keyPair.publicKey)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('signs with a fresh k each time', () => {
    expect(sm2Sign('same', keyPair)).not.toBe(sm2Sign('same', keyPair));
  });

  it('refuses r or s outside [1, n-1] (GB/T 32918.2 §7.1 B1–B2) and malformed input, without throwing', () => {
    const good = sm2Sign('hello', keyPair);
    const [r, s] = [good.slice(0, 64), good.slice(64)];
    expect(sm2Verify('hello', good, keyPair.publicKey)).toBe(true);
    for (const bad of ['0'.repeat(64) + s, r + '0'.repeat(64), hex(SM2_N) + s, r + hex(SM2_N), r + 'f'.repeat(64)]) {
      expect(sm2Verify('hello', bad, keyPair.publicKey)).toBe(false);
    }
    expect(sm2Verify('hello', 'zz', keyPair.publicKey)).toBe(false);
    expect(sm2Verify('hello', `${good}00`, keyPair.publicKey)).toBe(false);
    expect(sm2Verify('hello', good, `04${'00'.repeat(64)}`)).toBe(false);
    expect(sm2Verify('hello', good, keyPair.publicKey.slice(0, 66))).toBe(false);
  });

  it('is not what Node crypto.sign computes on an SM2 key (that is ECDSA over the SM2 curve)', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const pair = parseSm2PrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const ecdsa = nodeSign('sm3', Buffer.from('abc'), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('hex');
    expect(sm2Verify('abc', ecdsa, pair.publicKey)).toBe(false);
    expect(sm2Verify('abc', sm2Sign('abc', pair), pair.publicKey)).toBe(true);
  });
});

describe('SM2 keys', () => {
  it('writes PKCS#8 PEM and reads it back, also as hex', () => {
    const keyPair = generateSm2KeyPair();
    const pem = sm2KeyPairToPem(keyPair);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(parseSm2PrivateKey(pem)).toEqual(keyPair);
    expect(parseSm2PrivateKey(`${keyPair.privateKey.toUpperCase()}\n`)).toEqual(keyPair);
  });

  it('reads the PKCS#8 PEM Node writes for an SM2 key and writes the same bytes back', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(sm2KeyPairToPem(parseSm2PrivateKey(pem))).toBe(pem);
  });

  it('reads a SEC1 PEM written by Node for the SM2 curve', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const keyPair = parseSm2PrivateKey(privateKey.export({ format: 'pem', type: 'sec1' }).toString());
    expect(sm2Verify('x', sm2Sign('x', keyPair), keyPair.publicKey)).toBe(true);
  });

  it('refuses keys of other curves, garbage and out-of-range scalars with VALIDATION_FAILED', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    for (const text of [p256.toString(), 'not a key', '0'.repeat(64), 'f'.repeat(64)]) {
      expect(() => parseSm2PrivateKey(text)).toThrow(AppError);
    }
    expect(() => sm2KeyPairFromPrivateKey('12')).toThrow(TypeError);
  });
});
