// Loading the SEAL WebAssembly module once per process, the native types it hands out, and mapping its exceptions.
// node-seal 7: Emscripten's bindings to SEAL 4.1.2 as they are (classes built with `new`, accessors as methods,
// `save/loadFromArray`), ESM, the .wasm file loaded beside the module. The `throws` build refuses transparent
// ciphertexts (an operation whose result would be unencrypted), as node-seal 6's default did.
import initialize from 'node-seal/throws';
import type {
  BatchEncoder,
  CKKSEncoder,
  Ciphertext,
  Decryptor,
  Encryptor,
  Evaluator,
  GaloisKeys,
  MainModule,
  ParmsIdType,
  Plaintext,
  PublicKey,
  RelinKeys,
  SEALContext,
  SecretKey,
} from 'node-seal/throws';
import { AppError } from '../../errors/index.ts';

export type SEALLibrary = MainModule;
export type { BatchEncoder, CKKSEncoder, Decryptor, Encryptor, Evaluator, GaloisKeys, ParmsIdType, PublicKey, RelinKeys, SecretKey };
/** node-seal 6's names, kept inside this module */
export type CipherText = Ciphertext;
export type PlainText = Plaintext;
export type Context = SEALContext;

let library: Promise<SEALLibrary> | undefined;

/** The SEAL library, compiled and instantiated on first call (about 0.1 s) and shared by every context afterwards. */
export function loadSeal(): Promise<SEALLibrary> {
  library ??= initialize().catch((err: unknown) => {
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

/**
 * SEAL's own exception text (e.g. "ciphertext data is invalid"): fixed strings from the library, never data. A C++
 * exception arrives as a WebAssembly.Exception whose `message` is [type, what()]; a binding error as an Error.
 */
export function sealMessage(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return typeof message[1] === 'string' ? message[1] : 'SEAL raised an exception';
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
