// The bank's SEAL objects, checked before anything is computed: parameters, kinds, never a secret key.
import {
  checkEnvelope,
  ciphertextShape,
  conjugationElement,
  createSealContext,
  deserializeCiphertext,
  deserializeSealKeys,
  isSerializedSecretKey,
  type SealCiphertext,
  type SealContext,
  type SealKeys,
  type SealPreset,
} from '../../crypto/index.ts';
import { AppError } from '../../errors/index.ts';
import type { ScoringRequest } from './schemas.ts';

// one context per preset for the process: creating one costs 10–50 ms; they hold no key and no data
const contexts = new Map<SealPreset, Promise<SealContext>>();

export function scoringContext(params: ScoringRequest['params']): Promise<SealContext> {
  const preset: SealPreset = params.polyModulusDegree === 16384 ? 'ckks-16384' : 'ckks-8192';
  let ctx = contexts.get(preset);
  if (!ctx) {
    ctx = createSealContext(preset);
    contexts.set(preset, ctx);
    ctx.catch(() => contexts.delete(preset));
  }
  return ctx;
}

/** Re-labels a crypto refusal with the request field it came from (the message names the problem already). */
function inField<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
      throw new AppError('VALIDATION_FAILED', `${field}: ${err.message}`, { details: { ...err.details, field } });
    }
    throw err;
  }
}

/** Every SEAL-carrying field of the request, with its name, for the secret-key screen. */
function sealFields(input: ScoringRequest): [string, string][] {
  const weights = typeof input.weights === 'string' ? [input.weights] : input.weights;
  return [
    ['publicKey', input.publicKey],
    ...(input.galoisKeys === undefined ? [] : [['galoisKeys', input.galoisKeys] as [string, string]]),
    ...(input.relinKeys === undefined ? [] : [['relinKeys', input.relinKeys] as [string, string]]),
    ...weights.map((w, i) => [`weights.${i}`, w] as [string, string]),
    ...(input.bias === undefined ? [] : [['bias', input.bias] as [string, string]]),
  ];
}

/**
 * Throws VALIDATION_FAILED (reason secret-key) when any field holds a secret key, in an envelope or in SEAL's raw
 * form. The bytes are dropped at once and never logged; the message tells the bank to make new keys.
 */
export function refuseSecretKeys(context: SealContext, input: ScoringRequest): void {
  for (const [field, data] of sealFields(input)) {
    if (isSerializedSecretKey(context, data)) {
      throw new AppError('VALIDATION_FAILED', `${field} holds a SEAL secret key; never send it — generate new keys, this one is no longer secret`, {
        details: { reason: 'secret-key', field },
      });
    }
  }
}

export interface LoadedInputs {
  keys: SealKeys;
  /** one per feature, then the bias (if any) */
  weights: SealCiphertext[];
  hasBias: boolean;
  release(): void;
}

/**
 * Loads the public key, the conjugation Galois key and the weight ciphertexts (each refusal names its field: not
 * SEAL, another kind, another scheme or parameter set, corrupted, not fresh). Relinearization keys are checked
 * (kind, parameters) but not loaded: this layout relinearizes nothing.
 */
export function loadInputs(context: SealContext, input: ScoringRequest, featureCount: number): LoadedInputs {
  const weightsIn = typeof input.weights === 'string' ? [input.weights] : input.weights;
  if (weightsIn.length !== featureCount) {
    throw new AppError('VALIDATION_FAILED', `weights: ${weightsIn.length} ciphertexts for ${featureCount} features (one per feature, in order)`, {
      details: { reason: 'weight-count', field: 'weights', expected: featureCount, received: weightsIn.length },
    });
  }
  if (input.galoisKeys === undefined) {
    throw new AppError('VALIDATION_FAILED', 'galoisKeys: the conjugation Galois key (step 0) is required; the SDK makes it with the keys', {
      details: { reason: 'missing-key', field: 'galoisKeys' },
    });
  }
  if (input.relinKeys !== undefined) inField('relinKeys', () => checkEnvelope(context, input.relinKeys!, 'relin-keys'));
  inField('publicKey', () => checkEnvelope(context, input.publicKey, 'public-key'));
  inField('galoisKeys', () => checkEnvelope(context, input.galoisKeys!, 'galois-keys'));
  let keys: SealKeys;
  try {
    keys = deserializeSealKeys(context, { publicKey: input.publicKey, galoisKeys: input.galoisKeys });
  } catch (err) {
    // SEAL names what it failed to load: "loading Galois keys: …" or "loading public key: …"
    return inField(err instanceof Error && /Galois/.test(err.message) ? 'galoisKeys' : 'publicKey', () => {
      throw err;
    });
  }
  if (!keys.galoisKeys?.hasKey(conjugationElement(context))) {
    keys.delete();
    throw new AppError('VALIDATION_FAILED', 'galoisKeys: these Galois keys hold no conjugation key (step 0), the only one scoring uses', {
      details: { reason: 'missing-key', field: 'galoisKeys' },
    });
  }
  const weights: SealCiphertext[] = [];
  const release = () => {
    for (const w of weights) w.delete();
    keys.delete();
  };
  try {
    const all = [...weightsIn.map((w, i) => [`weights.${i}`, w] as const), ...(input.bias === undefined ? [] : [['bias', input.bias] as const])];
    for (const [field, data] of all) {
      const ct = inField(field, () => deserializeCiphertext(context, data));
      weights.push(ct);
      const shape = ciphertextShape(ct);
      if (shape.size !== 2 || shape.transparent || !shape.ntt || shape.primes < 2) {
        throw new AppError('VALIDATION_FAILED', `${field}: not a fresh CKKS ciphertext with a level left to rescale`, { details: { reason: 'bad-input', field } });
      }
    }
  } catch (err) {
    release();
    throw err;
  }
  return { keys, weights, hasBias: input.bias !== undefined, release };
}
