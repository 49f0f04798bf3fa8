// Encrypted scoring, the bank's side: CKKS keys made here (the secret key never leaves this process), the model's
// weights encrypted one ciphertext per feature, the platform's answer decrypted into one score per enterprise.
// The platform computes w·z + b over masked features standardized with its own statistics; see docs/encrypted-scoring.md.
import {
  ckksConjugationKey,
  ckksDecrypt,
  ckksEncryptBroadcast,
  createSealContext,
  deserializeCiphertext,
  generateSealKeys,
  sealBytesToBase64,
  serializeSealKey,
  type SealKeys,
  type SealPreset,
} from '../crypto/index.ts';
import type { OperatorClient } from './operator-client.ts';

export interface ScoringKeys {
  preset: SealPreset;
  /** live SEAL keys; call delete() when done */
  keys: SealKeys;
  /** what the platform gets: the public key … */
  publicKey: string;
  /** … and one Galois key, for complex conjugation (the layout rotates nothing; no relinearization keys) */
  galoisKeys: string;
  delete(): void;
}

/** Fresh CKKS keys (ckks-8192 by default). Keep them for decryption; a set may serve many runs. */
export async function createScoringKeys(preset: 'ckks-8192' | 'ckks-16384' = 'ckks-8192'): Promise<ScoringKeys> {
  const context = await createSealContext(preset);
  const keys = generateSealKeys(context, { relin: false, galois: false });
  return {
    preset,
    keys,
    publicKey: sealBytesToBase64(serializeSealKey(keys, 'public-key')),
    galoisKeys: sealBytesToBase64(ckksConjugationKey(keys)),
    delete() {
      keys.delete();
      context.delete();
    },
  };
}

export interface ScoringModel {
  /** "dataset:field" in the order of `weights` */
  features: string[];
  /** one weight per feature, for the feature standardized by the platform: z = (x − mean) / sd */
  weights: number[];
  bias?: number;
}

/** The encrypted part of a request: one seeded ciphertext per weight (the weight in every slot), and the bias. */
export function encryptModel(k: ScoringKeys, model: ScoringModel) {
  if (model.weights.length !== model.features.length) throw new TypeError(`${model.weights.length} weights for ${model.features.length} features`);
  const values = model.bias === undefined ? model.weights : [...model.weights, model.bias];
  const cts = ckksEncryptBroadcast(k.keys, values).map(sealBytesToBase64);
  return {
    features: model.features,
    publicKey: k.publicKey,
    galoisKeys: k.galoisKeys,
    weights: cts.slice(0, model.weights.length),
    ...(model.bias === undefined ? {} : { bias: cts[model.weights.length]! }),
    params: { scheme: 'ckks' as const, polyModulusDegree: k.keys.context.polyModulusDegree },
  };
}

export interface ScoringAnswer {
  runId: string;
  scores: string;
  layout: { scheme: 'ckks'; preset: string; slots: number; enterprises: string[]; noiseSd: number };
  missing: string[];
  standardization: { feature: string; mean: number; sd: number; imputed: number }[];
  dataVersions: Record<string, number>;
}

/** Decrypts the answer: the score of each scored enterprise, in the layout's order. */
export function decryptScores(k: ScoringKeys, answer: ScoringAnswer): { uscc: string; score: number }[] {
  const ct = deserializeCiphertext(k.keys.context, answer.scores);
  try {
    const values = ckksDecrypt(k.keys, ct, answer.layout.enterprises.length);
    return answer.layout.enterprises.map((uscc, i) => ({ uscc, score: values[i]! }));
  } finally {
    ct.delete();
  }
}

export interface EncryptedScoreOptions extends ScoringModel {
  licenseId: string;
  /** USCCs of the enterprises that consented to being scored */
  enterprises: string[];
  /** reuse keys across runs; fresh ones are made (and deleted) otherwise */
  keys?: ScoringKeys;
}

export interface EncryptedScoreResult {
  runId: string;
  scores: { uscc: string; score: number }[];
  missing: string[];
  standardization: ScoringAnswer['standardization'];
  /** standard deviation of the noise the platform added to each score */
  noiseSd: number;
}

/**
 * One run against POST /operator/scoring. Throws PlatformError for the platform's refusals (403 licence or field,
 * 422 bad input / too few enterprises / secret key, 429 quota).
 */
export async function encryptedScore(client: OperatorClient, options: EncryptedScoreOptions): Promise<EncryptedScoreResult> {
  const k = options.keys ?? (await createScoringKeys());
  try {
    const body = { licenseId: options.licenseId, enterprises: options.enterprises, ...encryptModel(k, options) };
    const answer = await client.request<ScoringAnswer>('POST', '/operator/scoring', body);
    return { runId: answer.runId, scores: decryptScores(k, answer), missing: answer.missing, standardization: answer.standardization, noiseSd: answer.layout.noiseSd };
  } finally {
    if (!options.keys) k.delete();
  }
}
