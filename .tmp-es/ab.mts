import { createSealContext, generateSealKeys, deserializeCiphertext, sealBytesToBase64 } from '../crypto/index.ts';
import { ckksEncryptBroadcast } from '../crypto/seal/columns.ts';
const ctx = await createSealContext('ckks-8192');
const keys = generateSealKeys(ctx, { relin: false, galois: false });
const [w] = ckksEncryptBroadcast(keys, [1]);
const b64 = sealBytesToBase64(w!);
console.log('truncated:');
try { deserializeCiphertext(ctx, b64.slice(0, 400)); } catch (e) { console.log((e as Error).message); }
console.log('after: still works?', deserializeCiphertext(ctx, b64).native.size);
const big = await createSealContext('ckks-16384');
console.log('16384 ok');
