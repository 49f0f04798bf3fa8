// Loading the SEAL WebAssembly module once per process, the native types it hands out, and mapping its exceptions.
import sealModule from 'node-seal';
import type { SEALLibrary } from 'node-seal/implementation/seal.js';
import { AppError } from '../../errors/index.ts';

export type { SEALLibrary } from 'node-seal/implementation/seal.js';
export type { BatchEncoder } from 'node-seal/implementation/batch-encoder.js';
export type { CKKSEncoder } from 'node-seal/implementation/ckks-encoder.js';
export type { CipherText } from 'node-seal/implementation/cipher-text.js';
export type { Context } from 'node-seal/implementation/context.js';
export type { Decryptor } from 'node-seal/implementation/decryptor.js';
export type { Encryptor } from 'node-seal/implementation/encryptor.js';
export type { Evaluator } from 'node-seal/implementation/evaluator.js';
export type { GaloisKeys } from 'node-seal/implementation/galois-keys.js';
export type { PlainText } from 'node-seal/implementation/plain-text.js';
export type { PublicKey } from 'node-seal/implementation/public-key.js';
export type { RelinKeys } from 'node-seal/implementation/relin-keys.js';
export type { SecretKey } from 'node-seal/implementation/secret-key.js';

// The package is a UMD bundle whose module.exports is the init function; its typings describe an ES default export.
const init = sealModule as unknown as () => Promise<SEALLibrary>;

let library: Promise<SEALLibrary> | undefined;

/** The SEAL library, compiled and instantiated on first call (about 0.1 s) and shared by every context afterwards. */
export function loadSeal(): Promise<SEALLibrary> {
  library ??= init().catch((err: unknown) => {
    library = undefined;
    throw err;
  });
  return library;
}

/** Why a SEAL input or operation was refused: `details.reason` of the AppError. */
export type SealErrorReason =
  | 'malformed'
  | 'unsupported-version'
  | 'wrong-kind'
  | 'parameter-mismatch'
  | 'scheme-mismatch'
  | 'missing-key'
  | 'bad-input'
  | 'operation-failed';

/** A refused SEAL input or operation: AppError VALIDATION_FAILED with `details.reason`. Never carries values. */
export function sealError(reason: SealErrorReason, message: string, extra: Record<string, unknown> = {}, cause?: unknown): AppError {
  return new AppError('VALIDATION_FAILED', message, { details: { reason, ...extra }, cause });
}

/** SEAL's own exception text (e.g. "ciphertext data is invalid"): fixed strings from the library, never data. */
export function sealMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return 'unknown SEAL error';
}

/** Runs a native call, mapping SEAL's exception to a clear AppError naming what was attempted. */
export function guard<T>(what: string, fn: () => T, reason: SealErrorReason = 'operation-failed'): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw sealError(reason, `${what}: ${sealMessage(err)}`, {}, err);
  }
}
