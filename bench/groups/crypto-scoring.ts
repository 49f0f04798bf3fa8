// Group `crypto` (encrypted scoring, docs/encrypted-scoring.md): 1,000 enterprises × 8 features + bias, CKKS-8192,
// feature-major layout (slot i = enterprise i; one weight ciphertext per feature; no rotations), in runs/s
// (milliseconds per run = 1000 / value), each against the same scores computed in plaintext JS in the same run:
//   - end to end: client encrypts the weights (seeded) → base64 → server loads the public key and the weights,
//     and the conjugation key, computes Σ w_j ⊙ z_j + b + noise, symmetrizes (ct + conj ct)/2, serializes →
//     client decrypts the 1,000 scores
//   - server side only (what POST /operator/scoring spends in SEAL; the feature read from the database is apart)
//   - client side only (encrypt + decrypt)
// Key generation is outside the timings (once per bank, reused across runs).
import {
  ckksConjugationKey,
  ckksDecrypt,
  ckksEncryptBroadcast,
  ckksScoreColumns,
  createSealContext,
  deserializeCiphertext,
  deserializeSealKeys,
  generateSealKeys,
  sealBytesToBase64,
  serializeCiphertext,
  serializeSealKey,
} from '../../crypto/index.ts';
import { callsPerSecond, type BenchCase, type BenchGroup } from '../harness.ts';

/** Kept so plaintext baselines cannot be optimized away; read nowhere. */
export let sink = 0;

export const cryptoScoringGroup: BenchGroup = {
  name: 'crypto',
  async setup(options) {
    const minMs = Math.max(100, 1000 * options.scale);
    options.progress('crypto-scoring: CKKS-8192 context and keys');
    const context = await createSealContext('ckks-8192');
    const keys = generateSealKeys(context, { relin: false, galois: false });
    const publicKey = sealBytesToBase64(serializeSealKey(keys, 'public-key'));
    const galoisKeys = sealBytesToBase64(ckksConjugationKey(keys));
    const n = 1000;
    const d = 8;
    const weights = Array.from({ length: d }, (_, j) => (j - 3.5) / 5);
    const bias = -0.75;
    // raw features and the platform's statistics: the server standardizes, then scores
    const raw = Array.from({ length: d }, (_, j) => Float64Array.from({ length: n }, (_, i) => 100 * (1 + Math.sin(i * 0.37 + j)) + j));
    const stats = raw.map((col) => {
      const mean = col.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      return { mean, sd };
    });
    const standardize = () => [...raw.map((col, j) => Float64Array.from(col, (v) => (v - stats[j]!.mean) / stats[j]!.sd)), new Float64Array(n).fill(1)];

    const clientEncrypt = () => ckksEncryptBroadcast(keys, [...weights, bias]).map(sealBytesToBase64);
    const serverCompute = (cts: string[]) => {
      const evalKeys = deserializeSealKeys(context, { publicKey, galoisKeys });
      const loaded = cts.map((c) => deserializeCiphertext(context, c));
      try {
        const out = ckksScoreColumns(evalKeys, loaded, standardize(), { noiseSd: 1e-3 });
        try {
          return sealBytesToBase64(serializeCiphertext(out));
        } finally {
          out.delete();
        }
      } finally {
        for (const c of loaded) c.delete();
        evalKeys.delete();
      }
    };
    const clientDecrypt = (answer: string) => {
      const ct = deserializeCiphertext(context, answer);
      try {
        sink += ckksDecrypt(keys, ct, n)[7]!;
      } finally {
        ct.delete();
      }
    };
    const plaintext = () => {
      const cols = standardize();
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += weights[j]! * cols[j]![i]!;
        sink += s + bias;
      }
    };
    const uploaded = clientEncrypt();
    const answer = serverCompute(uploaded);
    options.progress(`crypto-scoring: upload ${Math.round(uploaded.reduce((a, c) => a + c.length, publicKey.length + galoisKeys.length) / 1024)} KiB base64, answer ${Math.round(answer.length / 1024)} KiB`);

    const cases: BenchCase[] = [
      {
        name: `encrypted scoring end to end, ${n} enterprises × ${d} features (CKKS-8192)`,
        unit: 'runs/s',
        baselineName: 'the same standardize + w·z + b in plaintext JS',
        run: async () => callsPerSecond(() => clientDecrypt(serverCompute(clientEncrypt())), minMs),
        baseline: async () => callsPerSecond(plaintext, minMs, 50),
      },
      {
        name: `encrypted scoring server side (load keys + weights, compute, serialize), ${n} × ${d}`,
        unit: 'runs/s',
        baselineName: 'the same standardize + w·z + b in plaintext JS',
        run: async () => callsPerSecond(() => void serverCompute(uploaded), minMs),
        baseline: async () => callsPerSecond(plaintext, minMs, 50),
      },
      {
        name: `encrypted scoring client side (encrypt ${d + 1} weights + decrypt ${n} scores)`,
        unit: 'runs/s',
        baselineName: 'the same standardize + w·z + b in plaintext JS',
        run: async () =>
          callsPerSecond(() => {
            sink += clientEncrypt().length;
            clientDecrypt(answer);
          }, minMs),
        baseline: async () => callsPerSecond(plaintext, minMs, 50),
      },
    ];
    return {
      cases,
      async cleanup() {
        keys.delete();
        context.delete();
      },
    };
  },
};
