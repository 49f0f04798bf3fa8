// How large a request body each route accepts. One table for the whole gateway: a body past its limit is refused with
// 413 before a route reads it (edge-input.ts). Buffered bodies are held in memory up to the limit while they are
// checked, so the limits are as small as the routes' own schemas allow; only dataset loads are streamed.
import { PSI_LIMITS } from '../../sandbox/psi/index.ts';
import { SCORING_LIMITS } from '../../sandbox/encrypted-scoring/index.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export interface BodyLimit {
  bytes: number;
  /** streamed to the route as it arrives (counted, never buffered here): dataset loads */
  streamed: boolean;
}

/**
 * Every body not named below: JSON verbs and forms of a few fields. CKAN actions take the default too: routes/ckan.ts
 * refuses what is over its own 64 KiB in CKAN's error format, which its clients read.
 */
export const DEFAULT_BODY_LIMIT: BodyLimit = { bytes: 1 * MiB, streamed: false };

const RULES: readonly { method: string; path: RegExp; limit: BodyLimit }[] = [
  // CSV or NDJSON of up to tens of millions of rows, loaded row by row (store/registry)
  { method: 'POST', path: /^\/steward\/datasets\/[^/]+\/loads$/, limit: { bytes: 16 * GiB, streamed: true } },
  // a model of up to MAX_CODE_LENGTH (1 M UTF-16 units: up to 3 MiB of UTF-8, more when JSON escapes it) and params
  { method: 'POST', path: /^\/operator\/(jobs|federated-jobs)$/, limit: { bytes: 8 * MiB, streamed: false } },
  // SEAL keys and weight ciphertexts in base64 (the route's own limit)
  { method: 'POST', path: /^\/operator\/scoring$/, limit: { bytes: SCORING_LIMITS.bodyBytes, streamed: false } },
  // up to maxList identifiers of at most 64 characters, quoted and separated
  { method: 'POST', path: /^\/operator\/psi$/, limit: { bytes: PSI_LIMITS.maxList * 72 + 64 * KiB, streamed: false } },
  // Paillier ciphertexts (≤ 1000 of ≤ 4100 hex digits), decryption shares of the same size
  { method: 'POST', path: /^\/encrypted-statistics\/rounds\/[^/]+\/(contributions|decryption)$/, limit: { bytes: 12 * MiB, streamed: false } },
  // one signed message of at most 16 MiB (federation/node-identity.ts)
  { method: 'POST', path: /^\/federation\/v1\//, limit: { bytes: 17 * MiB, streamed: false } },
  // sign-in and token requests: a few short fields
  { method: 'POST', path: /^\/auth\//, limit: { bytes: 16 * KiB, streamed: false } },
  // the public portal's forms: feedback and applications of a few thousand characters
  { method: 'POST', path: /^\/portal\//, limit: { bytes: 64 * KiB, streamed: false } },
];

export function bodyLimitOf(method: string, path: string): BodyLimit {
  return RULES.find((r) => r.method === method && r.path.test(path))?.limit ?? DEFAULT_BODY_LIMIT;
}
