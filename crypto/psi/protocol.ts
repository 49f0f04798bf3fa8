// The two roles of DH-PSI (docs/psi.md). The client (operator) learns which of its identifiers the server (platform)
// holds; the server learns the size of the client's list. Semi-honest security under DDH in the random-oracle model.
//
//   client: a fresh,  A_i = a·H(x_π(i))                       ──►  server
//   server: b fresh,  B_i = b·A_i (same order),  S = shuffle{b·H(y_j)}  ──►  client
//   client: T = {a·S_j};  x_π(i) is in the intersection iff B_i ∈ T      (b·a·H(x) = a·b·H(y) ⇔ H(x) = H(y))
import { PsiKey, decodePoint, encodePoint, hashToPoint, normalizeIdentifier, psiError, randomPermutation, shuffleInPlace, PSI_POINT_BYTES } from './ecdh-psi.ts';

/** The hashing context of a dataset field: points of different fields never meet. */
export function psiContext(dataset: string, field: string): string {
  return `${dataset}.${field}`;
}

export interface PsiClientRequest {
  /** a·H(x) for each distinct identifier, in a random order the server cannot relate to the input */
  blinded: string[];
}

export interface PsiServerAnswer {
  /** b·A_i, in the order received */
  blinded: string[];
  /** b·H(y_j) for every server identifier, shuffled */
  serverSet: string[];
}

/** Client side of one run: holds the ephemeral key and the permutation until the answer arrives; use once. */
export class PsiClientRun {
  private readonly key = PsiKey.generate();
  private readonly ids: string[];
  private readonly order: Uint32Array;
  readonly request: PsiClientRequest;

  /** `ids` are deduplicated after normalisation (the first spelling of each is the one returned). */
  constructor(ids: Iterable<string>, context: string) {
    const seen = new Map<string, string>();
    for (const id of ids) {
      const n = normalizeIdentifier(id);
      if (n !== '' && !seen.has(n)) seen.set(n, id);
    }
    this.ids = [...seen.values()];
    this.order = randomPermutation(this.ids.length);
    const blinded = new Array<string>(this.ids.length);
    for (let i = 0; i < this.order.length; i++) blinded[i] = encodePoint(this.key.multiply(hashToPoint(this.ids[this.order[i]!]!, context)));
    this.request = { blinded };
  }

  get size(): number {
    return this.ids.length;
  }

  /** The identifiers (as given) that the server also holds, in input order. Throws VALIDATION_FAILED on a bad answer. */
  finish(answer: PsiServerAnswer): string[] {
    if (!Array.isArray(answer.blinded) || answer.blinded.length !== this.ids.length) throw psiError('bad-answer', 'the answer does not match the request size');
    if (!Array.isArray(answer.serverSet)) throw psiError('bad-answer', 'the answer has no server set');
    const theirs = new Set<string>();
    answer.serverSet.forEach((s, j) => theirs.add(encodePoint(this.key.multiply(decodePoint(s, j), j))));
    const hit = new Uint8Array(this.ids.length);
    answer.blinded.forEach((b, i) => {
      decodePoint(b, i);
      if (theirs.has(b)) hit[this.order[i]!] = 1;
    });
    return this.ids.filter((_, i) => hit[i] === 1);
  }
}

/** H(y_j) for every server identifier as one flat buffer of n·32 bytes (what a per-version cache holds). */
export function hashAllToPoints(ids: readonly string[], context: string): Uint8Array {
  const out = new Uint8Array(ids.length * PSI_POINT_BYTES);
  ids.forEach((id, j) => out.set(hashToPoint(id, context), j * PSI_POINT_BYTES));
  return out;
}

/** b·A_i in the order received. Throws VALIDATION_FAILED naming the first bad index (never its value). */
export function psiServerAnswer(key: PsiKey, blinded: readonly string[]): string[] {
  return blinded.map((text, i) => encodePoint(key.multiply(decodePoint(text, i), i)));
}

/** b·H(y_j) for every hashed server identifier (flat n·32 bytes), shuffled with a CSPRNG. */
export function psiServerSet(key: PsiKey, hashed: Uint8Array): string[] {
  const n = hashed.length / PSI_POINT_BYTES;
  const out = new Array<string>(n);
  for (let j = 0; j < n; j++) out[j] = encodePoint(key.multiply(hashed.subarray(j * PSI_POINT_BYTES, (j + 1) * PSI_POINT_BYTES)));
  return shuffleInPlace(out);
}
