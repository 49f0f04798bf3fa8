// SM2 key pairs: drawn with Node's crypto (its CSPRNG, its SM2 curve), kept as hex, written and read as PEM.
import { createECDH } from 'node:crypto';
import { AppError } from '../../errors/index.ts';
import { readSm2PrivateKeyDer, writeSm2PrivateKeyDer } from './der.ts';

/** The order n of the SM2 recommended curve's base point (GB/T 32918.5). */
export const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

/** A signing key: `privateKey` is d as 64 hex digits, `publicKey` the uncompressed point 04‖x‖y as 130 hex digits. */
export interface Sm2KeyPair {
  privateKey: string;
  publicKey: string;
}

const HEX_64 = /^[0-9a-fA-F]{64}$/;

/** d in [1, n-2]: GB/T 32918.1 §6.1 keeps d below n-1 so that 1+d is invertible when signing. */
function inRange(hex: string): boolean {
  const d = BigInt(`0x${hex}`);
  return d >= 1n && d <= SM2_N - 2n;
}

/** A fresh key pair from Node's CSPRNG. */
export function generateSm2KeyPair(): Sm2KeyPair {
  for (;;) {
    const ecdh = createECDH('SM2');
    ecdh.generateKeys();
    const d = ecdh.getPrivateKey('hex').padStart(64, '0');
    // d = n-1 is a valid ECDH key but not an SM2 signing key; vanishingly rare, so draw again
    if (inRange(d)) return { privateKey: d, publicKey: ecdh.getPublicKey('hex', 'uncompressed') };
  }
}

/** The key pair of a private key given as 64 hex digits. Throws TypeError for a malformed or out-of-range key. */
export function sm2KeyPairFromPrivateKey(privateKeyHex: string): Sm2KeyPair {
  if (!HEX_64.test(privateKeyHex)) throw new TypeError('SM2 private key must be 64 hex digits');
  if (!inRange(privateKeyHex)) throw new TypeError('SM2 private key is out of range');
  const ecdh = createECDH('SM2');
  ecdh.setPrivateKey(Buffer.from(privateKeyHex, 'hex'));
  return { privateKey: privateKeyHex.toLowerCase(), publicKey: ecdh.getPublicKey('hex', 'uncompressed') };
}

/** The key as PKCS#8 PEM ("BEGIN PRIVATE KEY"), the form `openssl genpkey -algorithm SM2` writes and reads. */
export function sm2KeyPairToPem(keyPair: Sm2KeyPair): string {
  const { privateKey, publicKey } = sm2KeyPairFromPrivateKey(keyPair.privateKey);
  const der = writeSm2PrivateKeyDer(Buffer.from(privateKey, 'hex'), Buffer.from(publicKey, 'hex'));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

const PEM = /^-----BEGIN (PRIVATE KEY|EC PRIVATE KEY)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----$/;

/**
 * Parses a private key from outside (a key file): PKCS#8 or SEC1 PEM of an SM2 key, or d as 64 hex digits.
 * Throws AppError VALIDATION_FAILED when it is none of these; the message never repeats the text.
 */
export function parseSm2PrivateKey(text: string): Sm2KeyPair {
  const trimmed = text.trim();
  let d: string | undefined;
  let embeddedPublicKey: string | undefined;
  if (HEX_64.test(trimmed)) {
    d = trimmed;
  } else {
    const pem = PEM.exec(trimmed);
    const parsed = pem
      ? readSm2PrivateKeyDer(Buffer.from(pem[2]!.replace(/\s/g, ''), 'base64'), pem[1] === 'PRIVATE KEY' ? 'pkcs8' : 'sec1')
      : null;
    if (!parsed || parsed.d.length > 32) {
      throw new AppError('VALIDATION_FAILED', 'not an SM2 private key (expected PKCS#8 or SEC1 PEM, or 64 hex digits)');
    }
    d = parsed.d.toString('hex').padStart(64, '0');
    embeddedPublicKey = parsed.publicKey?.toString('hex');
  }
  if (!inRange(d)) throw new AppError('VALIDATION_FAILED', 'SM2 private key is out of range');
  const keyPair = sm2KeyPairFromPrivateKey(d);
  if (embeddedPublicKey !== undefined && embeddedPublicKey !== keyPair.publicKey) {
    throw new AppError('VALIDATION_FAILED', 'SM2 private key file holds a public key that does not match it');
  }
  return keyPair;
}
