// Parameter presets (128-bit security per the HomomorphicEncryption.org table SEAL enforces) and the context that
// owns SEAL's per-parameter objects: encoders and the evaluator.
import type { BatchEncoder, CKKSEncoder, Context, Evaluator, SEALLibrary } from './runtime.ts';
import { guard, loadSeal, sealError } from './runtime.ts';

export type SealScheme = 'bfv' | 'ckks';
export type SealPreset = 'bfv-4096' | 'bfv-8192' | 'ckks-8192' | 'ckks-16384';

interface PresetSpec {
  /** one byte in serialized headers; never reuse a number */
  readonly code: number;
  readonly scheme: SealScheme;
  readonly polyModulusDegree: number;
  /** BFV: undefined = CoeffModulus.BFVDefault (SEAL's 128-bit choice); CKKS: prime bit sizes, special prime last */
  readonly coeffBits?: readonly number[];
  /** BFV: bit size of the batching-friendly plaintext prime */
  readonly plainBits?: number;
  /** CKKS: log2 of the encoding scale */
  readonly scaleBits?: number;
}

/**
 * The presets. Total coefficient-modulus bits stay within SEAL's 128-bit bounds (N=4096: 109, 8192: 218, 16384: 438).
 * - bfv-4096: q = BFVDefault (109 bits), t 20-bit prime: values in ±(t-1)/2 ≈ ±5.2e5; one multiplication deep.
 * - bfv-8192: q = BFVDefault (218 bits), t 30-bit prime: values in ±(t-1)/2 ≈ ±5.4e8; a few multiplications deep.
 * - ckks-8192: q = 60+40+40 (+60 special) = 200 bits, scale 2^40: two rescales (multiply, then one more: the
 *   scoring mask); final modulus 60 bits leaves ~19 bits (|x| < ~5e5) for the integer part of results.
 * - ckks-16384: q = 60+40×4 (+60) = 280 bits, scale 2^40: four rescales.
 */
export const SEAL_PRESETS: Readonly<Record<SealPreset, PresetSpec>> = {
  'bfv-4096': { code: 1, scheme: 'bfv', polyModulusDegree: 4096, plainBits: 20 },
  'bfv-8192': { code: 2, scheme: 'bfv', polyModulusDegree: 8192, plainBits: 30 },
  'ckks-8192': { code: 3, scheme: 'ckks', polyModulusDegree: 8192, coeffBits: [60, 40, 40, 60], scaleBits: 40 },
  'ckks-16384': { code: 4, scheme: 'ckks', polyModulusDegree: 16384, coeffBits: [60, 40, 40, 40, 40, 60], scaleBits: 40 },
};

export function isSealPreset(value: unknown): value is SealPreset {
  return typeof value === 'string' && Object.hasOwn(SEAL_PRESETS, value);
}

export function presetByCode(code: number): SealPreset | undefined {
  return (Object.keys(SEAL_PRESETS) as SealPreset[]).find((p) => SEAL_PRESETS[p].code === code);
}

/**
 * One parameter set, ready to use. Owns its native objects: call `delete()` once every key and ciphertext made
 * under it has been deleted (or is no longer used). Creating one costs ~10–50 ms; keep it for the process.
 */
export interface SealContext {
  readonly preset: SealPreset;
  readonly scheme: SealScheme;
  readonly polyModulusDegree: number;
  /** BFV: N slots as a 2 × N/2 matrix (rotations move within each row); CKKS: N/2 slots */
  readonly slotCount: number;
  /** BFV: slots per row (N/2); CKKS: equals slotCount */
  readonly rowSize: number;
  /** BFV plaintext modulus t (decrypted values are signed, in ±(t-1)/2); undefined for CKKS */
  readonly plainModulus: bigint | undefined;
  /** CKKS encoding scale (2^40); NaN for BFV */
  readonly scale: number;
  /** 16 bytes of SEAL's hash of the parameters (key-level parms_id): serialized objects carry it */
  readonly parameterHash: Uint8Array;
  readonly parameterHashHex: string;
  /** native objects for this module's functions; not for use outside crypto/seal */
  readonly seal: SEALLibrary;
  readonly native: Context;
  readonly evaluator: Evaluator;
  readonly batchEncoder: BatchEncoder | undefined;
  readonly ckksEncoder: CKKSEncoder | undefined;
  /** number of primes at the first data level (fresh ciphertexts) */
  readonly firstLevelPrimes: number;
  delete(): void;
}

function hashBytes(values: BigUint64Array): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, values[0] ?? 0n);
  view.setBigUint64(8, values[1] ?? 0n);
  return out;
}

/** Creates the SEAL context of a preset (initializing the WASM module on first use). */
export async function createSealContext(preset: SealPreset): Promise<SealContext> {
  if (!isSealPreset(preset)) {
    throw sealError('bad-input', `unknown SEAL preset; expected one of ${Object.keys(SEAL_PRESETS).join(', ')}`);
  }
  const spec = SEAL_PRESETS[preset];
  const seal = await loadSeal();
  const n = spec.polyModulusDegree;
  const parms = new seal.EncryptionParameters(spec.scheme === 'bfv' ? seal.SchemeType.bfv : seal.SchemeType.ckks);
  try {
    parms.setPolyModulusDegree(n);
    const coeff = spec.coeffBits
      ? seal.CoeffModulus.Create(n, Int32Array.from(spec.coeffBits))
      : seal.CoeffModulus.BFVDefault(n, seal.SecLevelType.tc128);
    parms.setCoeffModulus(coeff);
    coeff.delete();
    if (spec.scheme === 'bfv') {
      const t = seal.PlainModulus.Batching(n, spec.plainBits ?? 20);
      parms.setPlainModulus(t);
      t.delete();
    }
    const native = new seal.SEALContext(parms, true, seal.SecLevelType.tc128);
    if (!native.parametersSet()) {
      native.delete();
      throw sealError('bad-input', `SEAL rejected the ${preset} parameters`);
    }
    let plainModulus: bigint | undefined;
    if (spec.scheme === 'bfv') {
      const t = parms.plainModulus();
      plainModulus = t.value();
      t.delete();
    }
    const keyParms = native.keyParmsId();
    const parameterHash = hashBytes(keyParms.values() as BigUint64Array);
    keyParms.delete();
    const firstData = native.firstContextData();
    const firstParms = firstData.parms();
    const firstCoeff = firstParms.coeffModulus();
    const firstLevelPrimes = firstCoeff.size();
    firstCoeff.delete();
    firstParms.delete();
    firstData.delete();
    const evaluator = new seal.Evaluator(native);
    const batchEncoder = spec.scheme === 'bfv' ? guard('BatchEncoder', () => new seal.BatchEncoder(native)) : undefined;
    const ckksEncoder = spec.scheme === 'ckks' ? new seal.CKKSEncoder(native) : undefined;
    const slotCount = batchEncoder ? batchEncoder.slotCount() : ckksEncoder!.slotCount();
    let deleted = false;
    return {
      preset,
      scheme: spec.scheme,
      polyModulusDegree: n,
      slotCount,
      rowSize: spec.scheme === 'bfv' ? slotCount / 2 : slotCount,
      plainModulus,
      scale: spec.scaleBits === undefined ? Number.NaN : 2 ** spec.scaleBits,
      parameterHash,
      parameterHashHex: Buffer.from(parameterHash).toString('hex'),
      seal,
      native,
      evaluator,
      batchEncoder,
      ckksEncoder,
      firstLevelPrimes,
      delete() {
        if (deleted) return;
        deleted = true;
        batchEncoder?.delete();
        ckksEncoder?.delete();
        evaluator.delete();
        native.delete();
      },
    };
  } finally {
    parms.delete();
  }
}
