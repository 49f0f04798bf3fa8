import { createSealContext, generateSealKeys, sealEvaluationKeys, deserializeCiphertext, ckksDecrypt, serializeCiphertext, serializeSealKey, deserializeSealKeys } from '../crypto/seal/index.ts';
import { ckksEncryptBroadcast, ckksScoreColumns, isSerializedSecretKey } from '../crypto/seal/columns.ts';
const ctx = await createSealContext('ckks-8192');
let t = performance.now();
const keys = generateSealKeys(ctx, { relin: false, galois: false });
console.log('keygen', performance.now() - t);
const n = 1000, d = 8;
const w = Array.from({ length: d }, (_, j) => (j - 3.5) / 4); const b = 0.7;
t = performance.now();
const up = ckksEncryptBroadcast(keys, [...w, b]);
console.log('encrypt', performance.now() - t, 'bytes each', up[0]!.length);
const pk = serializeSealKey(keys, 'public-key'); console.log('pk bytes', pk.length);
const server = deserializeSealKeys(ctx, { publicKey: pk });
t = performance.now();
const cts = up.map((u) => deserializeCiphertext(ctx, u));
const cols = Array.from({ length: d }, (_, j) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.1 + j)));
cols.push(new Float64Array(n).fill(1));
const res = ckksScoreColumns(server, cts, cols, { noiseSd: 1e-3 });
const out = serializeCiphertext(res);
console.log('server', performance.now() - t, 'answer bytes', out.length);
t = performance.now();
const dec = ckksDecrypt(keys, deserializeCiphertext(ctx, out), n);
console.log('decrypt', performance.now() - t);
let maxErr = 0;
for (let i = 0; i < n; i++) { let s = b; for (let j = 0; j < d; j++) s += w[j]! * cols[j]![i]!; maxErr = Math.max(maxErr, Math.abs(s - dec[i]!)); }
console.log('maxErr', maxErr);
console.log('sk?', isSerializedSecretKey(ctx, serializeSealKey(keys, 'secret-key')), isSerializedSecretKey(ctx, pk), isSerializedSecretKey(ctx, keys.secretKey!.saveArray()), isSerializedSecretKey(ctx, keys.publicKey!.saveArray()));
for (let k = 0; k < 3; k++) {
  let t0 = performance.now();
  const up2 = ckksEncryptBroadcast(keys, [...w, b]);
  const t1 = performance.now();
  const cts2 = up2.map((u) => deserializeCiphertext(ctx, u));
  const t2 = performance.now();
  const r2 = ckksScoreColumns(server, cts2, cols, { noiseSd: 1e-3 });
  const t3 = performance.now();
  const o2 = serializeCiphertext(r2);
  const t4 = performance.now();
  ckksDecrypt(keys, deserializeCiphertext(ctx, o2), n);
  const t5 = performance.now();
  let s = 0; for (let i = 0; i < n; i++) { let v = b; for (let j = 0; j < d; j++) v += w[j]! * cols[j]![i]!; s += v; }
  const t6 = performance.now();
  console.log({ enc: t1 - t0, deser: t2 - t1, compute: t3 - t2, ser: t4 - t3, dec: t5 - t4, plain: t6 - t5 });
}
