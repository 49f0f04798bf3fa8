// The versioned envelope around SEAL's own serialization: what the bytes are, and for which parameters.
//
//   offset  size  field
//        0     4  magic "SEAL"
//        4     1  format version (1)
//        5     1  kind: 1 ciphertext, 2 public key, 3 secret key, 4 relinearization keys, 5 Galois keys
//        6     1  preset code (SEAL_PRESETS[..].code), which names scheme and degree
//        7     1  flags: bit 0 = seeded (half-size symmetric ciphertext or key; SEAL expands the seed on load)
//        8    16  parameter hash (SealContext.parameterHash: SEAL's parms_id of the key level)
//       24     …  SEAL's serialization (zstd-compressed by default)
import type { SealContext } from './context.ts';
import { presetByCode, SEAL_PRESETS } from './context.ts';
import { sealError } from './runtime.ts';

export const ENVELOPE_VERSION = 1;
export const ENVELOPE_HEADER_BYTES = 24;
const MAGIC = [0x53, 0x45, 0x41, 0x4c]; // "SEAL"

export type SealObjectKind = 'ciphertext' | 'public-key' | 'secret-key' | 'relin-keys' | 'galois-keys';
const KIND_CODES: Record<SealObjectKind, number> = {
  ciphertext: 1,
  'public-key': 2,
  'secret-key': 3,
  'relin-keys': 4,
  'galois-keys': 5,
};
const KIND_NAMES: Record<SealObjectKind, string> = {
  ciphertext: 'ciphertext',
  'public-key': 'public key',
  'secret-key': 'secret key',
  'relin-keys': 'relinearization keys',
  'galois-keys': 'Galois keys',
};
export function kindName(kind: SealObjectKind): string {
  return KIND_NAMES[kind];
}

export interface EnvelopeHeader {
  kind: SealObjectKind;
  seeded: boolean;
}

export function wrapEnvelope(context: SealContext, header: EnvelopeHeader, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(ENVELOPE_HEADER_BYTES + payload.length);
  out.set(MAGIC, 0);
  out[4] = ENVELOPE_VERSION;
  out[5] = KIND_CODES[header.kind];
  out[6] = codeOf(context);
  out[7] = header.seeded ? 1 : 0;
  out.set(context.parameterHash, 8);
  out.set(payload, ENVELOPE_HEADER_BYTES);
  return out;
}

function codeOf(context: SealContext): number {
  return SEAL_PRESETS[context.preset].code;
}

/** Bytes, or their base64 text (standard or URL-safe alphabet). */
export type SealBytes = Uint8Array | string;

export function toBytes(data: SealBytes, what: string): Uint8Array {
  if (typeof data === 'string') {
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(data.trim())) throw sealError('malformed', `${what} is not valid base64`);
    return new Uint8Array(Buffer.from(data.trim(), 'base64'));
  }
  if (!(data instanceof Uint8Array)) throw sealError('malformed', `${what} must be bytes or base64 text`);
  return data;
}

/** Standard base64 of serialized bytes, for JSON bodies. */
export function sealBytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Checks the envelope against what the caller expects and returns SEAL's payload (a view, not a copy) and flags.
 * Every refusal names the problem: not a SEAL envelope, newer version, another kind, another preset or parameter set.
 */
export function openEnvelope(context: SealContext, data: SealBytes, expected: SealObjectKind): { payload: Uint8Array; seeded: boolean } {
  const what = kindName(expected);
  const bytes = toBytes(data, what);
  if (bytes.length < ENVELOPE_HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw sealError('malformed', `${what}: not a serialized SEAL object (missing "SEAL" header)`);
  }
  const version = bytes[4]!;
  if (version !== ENVELOPE_VERSION) {
    throw sealError('unsupported-version', `${what}: envelope version ${version} is not supported (expected ${ENVELOPE_VERSION})`, {
      version,
    });
  }
  const kindCode = bytes[5]!;
  const kind = (Object.keys(KIND_CODES) as SealObjectKind[]).find((k) => KIND_CODES[k] === kindCode);
  if (kind !== expected) {
    throw sealError('wrong-kind', `expected ${what} but the data holds ${kind ? kindName(kind) : `unknown object kind ${kindCode}`}`, {
      expected,
      found: kind ?? kindCode,
    });
  }
  const preset = presetByCode(bytes[6]!);
  if (preset !== context.preset) {
    const scheme = preset ? SEAL_PRESETS[preset].scheme : undefined;
    throw sealError(
      scheme !== undefined && scheme !== context.scheme ? 'scheme-mismatch' : 'parameter-mismatch',
      `${what} was made for SEAL parameters ${preset ?? `with unknown preset code ${bytes[6]}`}, but this context is ${context.preset}`,
      { expected: context.preset, found: preset ?? bytes[6] },
    );
  }
  const hash = bytes.subarray(8, 24);
  if (hash.some((b, i) => b !== context.parameterHash[i])) {
    throw sealError(
      'parameter-mismatch',
      `${what} was made for a different ${context.preset} parameter set (hash ${Buffer.from(hash).toString('hex')}, this context ${context.parameterHashHex})`,
      { expected: context.parameterHashHex, found: Buffer.from(hash).toString('hex') },
    );
  }
  return { payload: bytes.subarray(ENVELOPE_HEADER_BYTES), seeded: (bytes[7]! & 1) === 1 };
}
