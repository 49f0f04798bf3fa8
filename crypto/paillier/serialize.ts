// Versioned hex-in-JSON serialization of Paillier keys and ciphertexts, with validation on the way in.
import { bitLength, gcd } from './bigint-math.ts';
import { type DjnParameters, PaillierPrivateKey, PaillierPublicKey, paillierError } from './paillier.ts';

export const PAILLIER_FORMAT_VERSION = 1;

export interface DeserializeOptions {
  /** accept moduli below 2048 bits (tests) */
  allowInsecureSmallKeys?: boolean;
}

const hex = (x: bigint): string => x.toString(16);

function parseHex(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^[0-9a-f]{1,4096}$/.test(value))
    throw paillierError('malformed', `Paillier field "${field}" must be lower-case hex`);
  return BigInt('0x' + value);
}

function parseEnvelope(text: string, type: string): Record<string, unknown> {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    throw paillierError('malformed', 'Paillier serialization is not JSON');
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw paillierError('malformed', 'Paillier serialization must be a JSON object');
  const o = obj as Record<string, unknown>;
  if (o.scheme !== 'paillier') throw paillierError('wrong-scheme', `expected scheme "paillier", got ${JSON.stringify(o.scheme)}`);
  if (o.v !== PAILLIER_FORMAT_VERSION) throw paillierError('unsupported-version', `unsupported Paillier format version ${JSON.stringify(o.v)}`);
  if (o.type !== type) throw paillierError('wrong-type', `expected a Paillier ${type}, got ${JSON.stringify(o.type)}`);
  return o;
}

function publicFields(pk: PaillierPublicKey): Record<string, unknown> {
  const out: Record<string, unknown> = { v: PAILLIER_FORMAT_VERSION, scheme: 'paillier', bits: pk.bits, n: hex(pk.n) };
  if (pk.g !== pk.n + 1n) out.g = hex(pk.g);
  if (pk.djn) out.djn = { hs: hex(pk.djn.hs), exponentBits: pk.djn.exponentBits };
  return out;
}

export function serializePublicKey(pk: PaillierPublicKey): string {
  return JSON.stringify({ ...publicFields(pk), type: 'public-key' });
}

function readPublic(o: Record<string, unknown>, options: DeserializeOptions): PaillierPublicKey {
  const n = parseHex(o.n, 'n');
  if (o.bits !== bitLength(n)) throw paillierError('wrong-key-size', `Paillier key declares ${String(o.bits)} bits but n has ${bitLength(n)}`);
  const pkOptions: { g?: bigint; djn?: DjnParameters; allowInsecureSmallKeys?: boolean } = {};
  if (o.g !== undefined) pkOptions.g = parseHex(o.g, 'g');
  if (o.djn !== undefined) {
    const d = o.djn as Record<string, unknown> | null;
    if (typeof d !== 'object' || d === null || typeof d.exponentBits !== 'number') throw paillierError('malformed', 'Paillier "djn" must be an object');
    pkOptions.djn = { hs: parseHex(d.hs, 'djn.hs'), exponentBits: d.exponentBits };
  }
  if (options.allowInsecureSmallKeys) pkOptions.allowInsecureSmallKeys = true;
  return new PaillierPublicKey(n, pkOptions);
}

export function deserializePublicKey(text: string, options: DeserializeOptions = {}): PaillierPublicKey {
  return readPublic(parseEnvelope(text, 'public-key'), options);
}

export function serializePrivateKey(sk: PaillierPrivateKey): string {
  return JSON.stringify({ ...publicFields(sk.publicKey), type: 'private-key', p: hex(sk.p), q: hex(sk.q) });
}

export function deserializePrivateKey(text: string, options: DeserializeOptions = {}): PaillierPrivateKey {
  const o = parseEnvelope(text, 'private-key');
  const pk = readPublic(o, options);
  return new PaillierPrivateKey(parseHex(o.p, 'p'), parseHex(o.q, 'q'), pk);
}

/** ciphertexts tagged with the key id, so that one under another key is refused on the way in */
export function serializeCiphertexts(pk: PaillierPublicKey, ciphertexts: readonly bigint[]): string {
  for (const c of ciphertexts) pk.checkCiphertext(c);
  return JSON.stringify({ v: PAILLIER_FORMAT_VERSION, scheme: 'paillier', type: 'ciphertexts', key: pk.keyId, c: ciphertexts.map(hex) });
}

export function deserializeCiphertexts(pk: PaillierPublicKey, text: string): bigint[] {
  const o = parseEnvelope(text, 'ciphertexts');
  if (o.key !== pk.keyId) throw paillierError('wrong-key', `ciphertexts are under key ${JSON.stringify(o.key)}, not ${pk.keyId}`);
  if (!Array.isArray(o.c)) throw paillierError('malformed', 'Paillier "c" must be an array of hex strings');
  return o.c.map((v: unknown, i: number) => {
    const c = parseHex(v, `c[${i}]`);
    pk.checkCiphertext(c);
    if (gcd(c, pk.n) !== 1n) throw paillierError('ciphertext-not-unit', `Paillier ciphertext ${i} is not a unit mod n²`);
    return c;
  });
}

export function serializeCiphertext(pk: PaillierPublicKey, c: bigint): string {
  return serializeCiphertexts(pk, [c]);
}

export function deserializeCiphertext(pk: PaillierPublicKey, text: string): bigint {
  const cs = deserializeCiphertexts(pk, text);
  if (cs.length !== 1) throw paillierError('malformed', `expected one Paillier ciphertext, got ${cs.length}`);
  return cs[0]!;
}
