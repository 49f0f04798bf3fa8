// ECDH-PSI primitives: RFC 7748 known answer, commutativity on the curve and on the twist (property tests),
// determinism and domain separation of H, strict decoding, and the two protocol roles end to end.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PsiClientRun, PsiKey, decodePoint, encodePoint, hashAllToPoints, hashToPoint, isCanonicalPoint, psiContext, psiServerAnswer, psiServerSet } from './index.ts';

const P = 2n ** 255n - 19n;
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const toBig = (u: Uint8Array) => BigInt(`0x${Buffer.from(u).reverse().toString('hex')}`);
function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
/** u is on the twist when u³ + A·u² + u is a non-square mod p (Euler's criterion) */
const onTwist = (u: Uint8Array) => {
  const x = toBig(u);
  return modPow((x * x * x + 486662n * x * x + x) % P, (P - 1n) / 2n, P) === P - 1n;
};
const point = (bytes: Uint8Array) => {
  const u = new Uint8Array(bytes);
  u[31]! &= 0x7f;
  return u;
};

describe('PsiKey.multiply', () => {
  it('matches the RFC 7748 §5.2 known answer', () => {
    const k = PsiKey.fromRaw(hex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'));
    const out = k.multiply(hex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'));
    expect(Buffer.from(out).toString('hex')).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  });

  it('commutes: a·(b·P) = b·(a·P) for random clamped scalars and random u on the curve and on the twist', () => {
    let twist = 0;
    let curve = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (ra, rb, rp) => {
        const p = point(rp);
        if (!isCanonicalPoint(p) || toBig(p) < 2n) return; // u = 0, 1 are of low order
        if (onTwist(p)) twist++;
        else curve++;
        const a = PsiKey.fromRaw(ra);
        const b = PsiKey.fromRaw(rb);
        let ab: Uint8Array;
        try {
          ab = a.multiply(b.multiply(p));
        } catch {
          return; // a random u of small order (probability ~2^-250) would be refused; never seen
        }
        expect(Buffer.from(ab)).toEqual(Buffer.from(b.multiply(a.multiply(p))));
      }),
      { numRuns: 300 },
    );
    // random u-coordinates fall about half on the twist: both groups were exercised
    expect(twist).toBeGreaterThan(50);
    expect(curve).toBeGreaterThan(50);
  });

  it('commutes on hashed identifiers, and the blinded value stays on the side (curve or twist) of H(x)', () => {
    const a = PsiKey.generate();
    const b = PsiKey.generate();
    for (let i = 0; i < 50; i++) {
      const h = hashToPoint(`9135010000000${i}`, 'credit_dishonest.uscc');
      const ah = a.multiply(h);
      expect(onTwist(ah)).toBe(onTwist(h));
      expect(Buffer.from(b.multiply(ah))).toEqual(Buffer.from(a.multiply(b.multiply(h))));
    }
  });

  it('refuses low-order and non-canonical points without echoing them', () => {
    const k = PsiKey.generate();
    const zero = new Uint8Array(32);
    const one = new Uint8Array(32);
    one[0] = 1;
    // p - 1 has order 2; 2^255 - 19 itself is not canonical
    const pMinus1 = hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    const p = hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    for (const bad of [zero, one, pMinus1, p]) {
      const err = (() => {
        try {
          k.multiply(bad, 7);
        } catch (e) {
          return e as { code: string; details: Record<string, unknown>; message: string };
        }
        return undefined;
      })();
      expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: { scheme: 'psi', reason: 'bad-point', index: 7 } });
      expect(err!.message).not.toContain(Buffer.from(bad).toString('base64url'));
    }
  });
});

describe('hashToPoint', () => {
  it('is deterministic, canonical, and normalises white space and NFKC forms', () => {
    const ctx = psiContext('credit_dishonest', 'uscc');
    const h = hashToPoint('91350100M000100Y43', ctx);
    expect(isCanonicalPoint(h)).toBe(true);
    expect(Buffer.from(hashToPoint(' 91350100M000100Y43\n', ctx))).toEqual(Buffer.from(h));
    expect(Buffer.from(hashToPoint('９１350100M000100Y43', ctx))).toEqual(Buffer.from(h)); // full-width digits
    expect(Buffer.from(hashToPoint('91350100M000100Y44', ctx))).not.toEqual(Buffer.from(h));
  });

  it('separates domains: the same identifier under another context, and ambiguous splits, hash apart', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), fc.string(), (id, c1, c2) => {
        fc.pre(c1 !== c2);
        expect(Buffer.from(hashToPoint(id, c1))).not.toEqual(Buffer.from(hashToPoint(id, c2)));
      }),
    );
    // without length prefixes ("a.b" + "c") and ("a" + ".bc") would be one input
    expect(Buffer.from(hashToPoint('c', 'a.b'))).not.toEqual(Buffer.from(hashToPoint('.bc', 'a')));
  });
});

describe('decodePoint', () => {
  it('round-trips and refuses wrong length, non-base64url, padding and spare bits', () => {
    const p = hashToPoint('x', 'c');
    expect(Buffer.from(decodePoint(encodePoint(p)))).toEqual(Buffer.from(p));
    const text = encodePoint(p);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const spareBits = text.slice(0, 42) + alphabet[alphabet.indexOf(text.at(-1)!) | 1];
    for (const bad of [text.slice(1), `${text}A`, `${text.slice(0, 42)}+`, `${text}=`, 42, null, spareBits]) {
      expect(() => decodePoint(bad, 3)).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
    const high = new Uint8Array(32).fill(0xff);
    expect(() => decodePoint(Buffer.from(high).toString('base64url'))).toThrowError(expect.objectContaining({ details: expect.objectContaining({ reason: 'bad-point' }) }));
  });
});

describe('protocol roles', () => {
  it('the client learns exactly the intersection; answers keep the request order and the server set is shuffled', () => {
    const ctx = psiContext('credit_dishonest', 'uscc');
    const server = Array.from({ length: 300 }, (_, i) => `S${i}`);
    const mine = [...Array.from({ length: 40 }, (_, i) => `C${i}`), 'S3', 'S77', ' S150 ', 'S299', 'S3'];
    const run = new PsiClientRun(mine, ctx);
    expect(run.size).toBe(44); // 'S3' twice is one identifier
    const b = PsiKey.generate();
    const answer = { blinded: psiServerAnswer(b, run.request.blinded), serverSet: psiServerSet(b, hashAllToPoints(server, ctx)) };
    expect(run.finish(answer)).toEqual(['S3', 'S77', ' S150 ', 'S299']);
    // the same identifiers in server order would be the hashes in order: the shuffle broke it (300! orders)
    const inOrder = server.map((y) => encodePoint(b.multiply(hashToPoint(y, ctx))));
    expect(answer.serverSet).not.toEqual(inOrder);
    expect(new Set(answer.serverSet)).toEqual(new Set(inOrder));
  });

  it('a fresh server key per run: two runs over the same list share no blinded value', () => {
    const ctx = 'd.f';
    const hashed = hashAllToPoints(['a', 'b', 'c'], ctx);
    const one = new Set(psiServerSet(PsiKey.generate(), hashed));
    expect(psiServerSet(PsiKey.generate(), hashed).some((s) => one.has(s))).toBe(false);
  });

  it('refuses an answer of the wrong size', () => {
    const run = new PsiClientRun(['a', 'b'], 'd.f');
    expect(() => run.finish({ blinded: [encodePoint(hashToPoint('z', 'd.f'))], serverSet: [] })).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('random scalars make blinded values of the same id differ across runs', () => {
    const r1 = new PsiClientRun(['same'], 'd.f').request.blinded[0];
    const r2 = new PsiClientRun(['same'], 'd.f').request.blinded[0];
    expect(r1).not.toBe(r2);
  });
});
