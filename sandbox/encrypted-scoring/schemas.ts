// The body of POST /operator/scoring and its limits. SEAL objects are checked again, in depth, in the verb.
import { z } from 'zod';

/**
 * minEnterprises: fewer enterprises found than this are refused, so one run cannot single out an enterprise (the
 * bank still learns each listed enterprise's score: see docs/encrypted-scoring.md on crafted weights).
 * maxEnterprises: one ciphertext of ckks-8192 (4096 slots). maxFeatures: one weight ciphertext each (~115 KB).
 * bodyBytes: the route's body limit — 33 ciphertexts and a public key (~230 KB) in base64 stay well under it.
 * noiseSd: the Gaussian noise (in score units) the platform adds to every score by a fresh encryption (flooding).
 */
export const SCORING_LIMITS = { minEnterprises: 5, maxEnterprises: 4096, maxFeatures: 32, bodyBytes: 16 * 1024 * 1024, noiseSd: 1e-3 } as const;

const IDENT = '[a-z][a-z0-9_]{0,47}';
export const FEATURE_PATTERN = new RegExp(`^(${IDENT}):(${IDENT})$`);
/** GB 32100-2015: 18 characters of 0-9 and A-Z without I, O, Z, S, V */
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

const sealObject = (what: string) => z.string().min(1).max(SCORING_LIMITS.bodyBytes).regex(BASE64, `${what}: base64 of a serialized SEAL object`);

export const scoringRequestSchema = z
  .object({
    licenseId: z.string().min(1).max(100),
    features: z.array(z.string().regex(FEATURE_PATTERN, 'a feature is dataset:field')).min(1).max(SCORING_LIMITS.maxFeatures),
    enterprises: z.array(z.string().regex(USCC_PATTERN, 'a unified social credit code (18 characters)')).min(1).max(SCORING_LIMITS.maxEnterprises),
    publicKey: sealObject('publicKey'),
    galoisKeys: sealObject('galoisKeys').optional(),
    relinKeys: sealObject('relinKeys').optional(),
    /** one ciphertext per feature, in the order of `features`, each holding the weight in every slot */
    weights: z.union([sealObject('weights'), z.array(sealObject('weights')).min(1).max(SCORING_LIMITS.maxFeatures)]),
    bias: sealObject('bias').optional(),
    params: z
      .object({
        scheme: z.literal('ckks', { message: 'encrypted scoring uses CKKS' }),
        polyModulusDegree: z.union([z.literal(8192), z.literal(16384)], { message: 'polyModulusDegree is 8192 or 16384' }),
      })
      .passthrough(),
  })
  .strict();
export type ScoringRequest = z.infer<typeof scoringRequestSchema>;

export interface FeatureStandardization {
  feature: string;
  /** over the masked, non-missing values of the dataset's current version, 6 significant digits (used as rounded) */
  mean: number;
  sd: number;
  /** how many of the scored enterprises had no value (scored with z = 0, the mean) */
  imputed: number;
}

export interface ScoringResponse {
  runId: string;
  /** one ciphertext (versioned SEAL envelope, base64): slot i holds the score of layout.enterprises[i] */
  scores: string;
  layout: {
    scheme: 'ckks';
    preset: string;
    slots: number;
    /** the scored enterprises in slot order; every other slot holds noise around 0 */
    enterprises: string[];
    /** standard deviation of the noise the platform added to every score */
    noiseSd: number;
  };
  /** listed enterprises that are not in the data (in request order) */
  missing: string[];
  standardization: FeatureStandardization[];
  dataVersions: Record<string, number>;
}
