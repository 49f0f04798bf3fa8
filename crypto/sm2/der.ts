// Just enough DER to read and write SM2 private keys (PKCS#8, RFC 5208; SEC1 ECPrivateKey, RFC 5915).
// Node's KeyObject cannot be used for this: OpenSSL 3 loads such a PEM as an "SM2" key that Node does not know,
// and exporting one aborts the process (Node 20, crypto_keys.cc assertion).

/** id-ecPublicKey, 1.2.840.10045.2.1 */
const EC_PUBLIC_KEY_OID = Buffer.from('06072a8648ce3d0201', 'hex');
/** sm2p256v1, 1.2.156.10197.1.301 */
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');

interface Tlv {
  tag: number;
  /** the whole element, header included */
  raw: Buffer;
  value: Buffer;
}

/** Reads the elements of `der` one after another; null when it is not well-formed DER of a small key. */
function elements(der: Buffer): Tlv[] | null {
  const out: Tlv[] = [];
  let at = 0;
  while (at < der.length) {
    const tag = der[at];
    let length = der[at + 1];
    if (tag === undefined || length === undefined) return null;
    let header = 2;
    if (length & 0x80) {
      const bytes = length & 0x7f;
      if (bytes < 1 || bytes > 2 || at + 2 + bytes > der.length) return null;
      length = 0;
      for (let i = 0; i < bytes; i++) length = length * 256 + der[at + 2 + i]!;
      header += bytes;
    }
    if (at + header + length > der.length) return null;
    out.push({ tag, raw: der.subarray(at, at + header + length), value: der.subarray(at + header, at + header + length) });
    at += header + length;
  }
  return out;
}

function length(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : Buffer.from([0x81, n]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(value.length), value]);
}

/** d and, when the structure carries it, the public key, from SEC1 ECPrivateKey of the SM2 curve. */
function fromEcPrivateKey(der: Buffer, curveKnown: boolean): { d: Buffer; publicKey: Buffer | undefined } | null {
  const [seq] = elements(der) ?? [];
  if (seq?.tag !== 0x30) return null;
  const parts = elements(seq.value);
  if (!parts) return null;
  const [version, d, ...rest] = parts;
  if (version?.tag !== 0x02 || !version.value.equals(Buffer.from([1])) || d?.tag !== 0x04) return null;
  const params = rest.find((p) => p.tag === 0xa0);
  const publicKeyBits = rest.find((p) => p.tag === 0xa1);
  if (params ? !params.value.equals(SM2_CURVE_OID) : !curveKnown) return null;
  let publicKey: Buffer | undefined;
  if (publicKeyBits) {
    const [bits] = elements(publicKeyBits.value) ?? [];
    if (bits?.tag !== 0x03 || bits.value[0] !== 0) return null;
    publicKey = bits.value.subarray(1);
  }
  return { d: d.value, publicKey };
}

/** d (and the public key, when present) from PKCS#8 or SEC1 DER of an SM2 key; null for anything else. */
export function readSm2PrivateKeyDer(der: Buffer, kind: 'pkcs8' | 'sec1'): { d: Buffer; publicKey: Buffer | undefined } | null {
  if (kind === 'sec1') return fromEcPrivateKey(der, false);
  const [seq] = elements(der) ?? [];
  if (seq?.tag !== 0x30) return null;
  const [version, algorithm, key] = elements(seq.value) ?? [];
  if (version?.tag !== 0x02 || !version.value.equals(Buffer.from([0]))) return null;
  if (algorithm?.tag !== 0x30 || !algorithm.value.equals(Buffer.concat([EC_PUBLIC_KEY_OID, SM2_CURVE_OID]))) return null;
  if (key?.tag !== 0x04) return null;
  return fromEcPrivateKey(key.value, true);
}

/** PKCS#8 DER of an SM2 key, as OpenSSL writes it (curve in the algorithm identifier, public key included). */
export function writeSm2PrivateKeyDer(d: Buffer, publicKey: Buffer): Buffer {
  const ecPrivateKey = tlv(
    0x30,
    Buffer.concat([tlv(0x02, Buffer.from([1])), tlv(0x04, d), tlv(0xa1, tlv(0x03, Buffer.concat([Buffer.from([0]), publicKey])))]),
  );
  return tlv(
    0x30,
    Buffer.concat([tlv(0x02, Buffer.from([0])), tlv(0x30, Buffer.concat([EC_PUBLIC_KEY_OID, SM2_CURVE_OID])), tlv(0x04, ecPrivateKey)]),
  );
}
