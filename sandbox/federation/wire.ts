// JSON forms of the secure-aggregation messages (bytes as base64url, vectors as base64url of little-endian u32), with
// zod decoders: every message from another node is untrusted input and is checked before the state machines see it.
import { z } from 'zod';
import type { secureAggregation as sa } from '../../crypto/index.ts';

const MAX_B64 = 1 << 24;
const b64 = z.string().max(MAX_B64).regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');
const party = z.number().int().min(1).max(2 ** 31 - 1);
const session = z.string().min(1).max(256);

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));
const text = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

export function encodeVector(v: Uint32Array): string {
  const out = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) out.writeUInt32LE(v[i]!, i * 4);
  return out.toString('base64url');
}
export function decodeVector(s: string): Uint32Array {
  const buf = Buffer.from(s, 'base64url');
  if (buf.length % 4 !== 0) throw new TypeError('vector length is not a multiple of 4 bytes');
  const out = new Uint32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt32LE(i * 4);
  return out;
}

const sealed = { iv: b64, ct: b64 };

export const advertiseSchema = z.object({ round: z.literal(0), session, from: party, cPk: b64, sPk: b64 }).strict();
export const directorySchema = z
  .object({ round: z.literal(0), session, parties: z.array(z.object({ id: party, cPk: b64, sPk: b64 }).strict()).max(1000) })
  .strict();
export const shareKeysSchema = z
  .object({ round: z.literal(1), session, from: party, shares: z.array(z.object({ to: party, ...sealed }).strict()).max(1000) })
  .strict();
export const deliverySchema = z
  .object({ round: z.literal(1), session, to: party, shares: z.array(z.object({ from: party, ...sealed }).strict()).max(1000) })
  .strict();
export const maskedInputSchema = z.object({ round: z.literal(2), session, from: party, masked: b64 }).strict();
export const survivorsSchema = z.object({ round: z.literal(2), session, survivors: z.array(party).max(1000) }).strict();
const shareOf = z.object({ of: party, share: b64 }).strict();
export const unmaskSchema = z
  .object({ round: z.literal(3), session, from: party, keyShares: z.array(shareOf).max(1000), seedShares: z.array(shareOf).max(1000) })
  .strict();

export const toWire = {
  advertise: (m: sa.AdvertiseKeys) => ({ ...m, cPk: text(m.cPk), sPk: text(m.sPk) }),
  directory: (m: sa.KeyDirectory) => ({ ...m, parties: m.parties.map((p) => ({ id: p.id, cPk: text(p.cPk), sPk: text(p.sPk) })) }),
  shareKeys: (m: sa.ShareKeys) => ({ ...m, shares: m.shares.map((s) => ({ to: s.to, iv: text(s.iv), ct: text(s.ct) })) }),
  delivery: (m: sa.ShareDelivery) => ({ ...m, shares: m.shares.map((s) => ({ from: s.from, iv: text(s.iv), ct: text(s.ct) })) }),
  maskedInput: (m: sa.MaskedInput) => ({ ...m, masked: encodeVector(m.masked) }),
  survivors: (m: sa.SurvivorList) => ({ ...m, survivors: [...m.survivors] }),
  unmask: (m: sa.UnmaskShares) => ({
    ...m,
    keyShares: m.keyShares.map((s) => ({ of: s.of, share: text(s.share) })),
    seedShares: m.seedShares.map((s) => ({ of: s.of, share: text(s.share) })),
  }),
};

/** Each decoder throws ZodError (malformed) or TypeError (a vector of the wrong byte length). */
export const fromWire = {
  advertise: (x: unknown): sa.AdvertiseKeys => {
    const m = advertiseSchema.parse(x);
    return { ...m, cPk: bytes(m.cPk), sPk: bytes(m.sPk) };
  },
  directory: (x: unknown): sa.KeyDirectory => {
    const m = directorySchema.parse(x);
    return { ...m, parties: m.parties.map((p) => ({ id: p.id, cPk: bytes(p.cPk), sPk: bytes(p.sPk) })) };
  },
  shareKeys: (x: unknown): sa.ShareKeys => {
    const m = shareKeysSchema.parse(x);
    return { ...m, shares: m.shares.map((s) => ({ to: s.to, iv: bytes(s.iv), ct: bytes(s.ct) })) };
  },
  delivery: (x: unknown): sa.ShareDelivery => {
    const m = deliverySchema.parse(x);
    return { ...m, shares: m.shares.map((s) => ({ from: s.from, iv: bytes(s.iv), ct: bytes(s.ct) })) };
  },
  maskedInput: (x: unknown): sa.MaskedInput => {
    const m = maskedInputSchema.parse(x);
    return { ...m, masked: decodeVector(m.masked) };
  },
  survivors: (x: unknown): sa.SurvivorList => survivorsSchema.parse(x),
  unmask: (x: unknown): sa.UnmaskShares => {
    const m = unmaskSchema.parse(x);
    return { ...m, keyShares: m.keyShares.map((s) => ({ of: s.of, share: bytes(s.share) })), seedShares: m.seedShares.map((s) => ({ of: s.of, share: bytes(s.share) })) };
  },
};
