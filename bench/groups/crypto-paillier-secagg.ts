// Group `crypto`: Paillier 2048-bit encrypt / decrypt / add in ops/s against plain paillier-bigint, and secure
// aggregation (100 parties × 10,000 elements, 10% dropout after sharing keys) in elements/s against the same sum done
// with packed Paillier ciphertexts. Everything runs on one core in this process (wall time).
//
// The Paillier sum is scaled down to PAILLIER_SUM_PARTIES parties (the per-element cost is linear in the parties plus
// one decryption per packed ciphertext, so elements/s at 10 parties slightly flatters Paillier relative to 100).
import { generateRandomKeys, type KeyPair } from 'paillier-bigint';
import { paillier, secureAggregation } from '../../crypto/index.ts';
import type { BenchCase, BenchGroup } from '../harness.ts';

const { generatePaillierKeys, packingLayout, packVector, unpackVector, RandomnessPool } = paillier;
const { SecAggClient, SecAggServer, quantize, dequantize } = secureAggregation;

const PAILLIER_SUM_PARTIES = 10;

function rate(count: number, start: number): number {
  return count / ((performance.now() - start) / 1000);
}

export const cryptoPaillierSecaggGroup: BenchGroup = {
  name: 'crypto',
  async setup(options) {
    options.progress('generating 2048-bit Paillier keys (ours, DJN) and paillier-bigint keys');
    const ours = await generatePaillierKeys(2048);
    ours.publicKey.precompute();
    const ref: KeyPair = await generateRandomKeys(2048, true);
    const pk = ours.publicKey;
    const sk = ours.privateKey;
    const ourCts = Array.from({ length: 64 }, (_, i) => pk.encrypt(BigInt(i) * 1_000_003n));
    const refCts = Array.from({ length: 16 }, (_, i) => ref.publicKey.encrypt(BigInt(i) * 1_000_003n));

    const elements = Math.max(100, Math.round(10_000 * options.scale));
    const parties = 100;
    const dropouts = 10;

    const cases: BenchCase[] = [
      {
        name: 'Paillier-2048 encrypt (g=n+1, DJN fixed-base)',
        unit: 'ops/s',
        baselineName: 'paillier-bigint 3.4.3 encrypt',
        async run() {
          const t = performance.now();
          for (let i = 0; i < 200; i++) pk.encrypt(BigInt(i));
          return rate(200, t);
        },
        async baseline() {
          const t = performance.now();
          for (let i = 0; i < 10; i++) ref.publicKey.encrypt(BigInt(i));
          return rate(10, t);
        },
      },
      {
        name: 'Paillier-2048 encrypt from r^n pool (refill excluded)',
        unit: 'ops/s',
        baselineName: 'paillier-bigint 3.4.3 encrypt',
        async run() {
          const pool = new RandomnessPool(pk, 2000);
          pool.refill(2000); // off the measured path, as a background refill would be
          const t = performance.now();
          for (let i = 0; i < 2000; i++) pk.encrypt(BigInt(i), { pool });
          return rate(2000, t);
        },
        async baseline() {
          const t = performance.now();
          for (let i = 0; i < 10; i++) ref.publicKey.encrypt(BigInt(i));
          return rate(10, t);
        },
      },
      {
        name: 'Paillier-2048 decrypt (CRT)',
        unit: 'ops/s',
        baselineName: 'paillier-bigint 3.4.3 decrypt',
        async run() {
          const t = performance.now();
          for (const c of ourCts) sk.decrypt(c);
          return rate(ourCts.length, t);
        },
        async baseline() {
          const t = performance.now();
          for (const c of refCts) ref.privateKey.decrypt(c);
          return rate(refCts.length, t);
        },
      },
      {
        name: 'Paillier-2048 homomorphic add',
        unit: 'ops/s',
        baselineName: 'paillier-bigint 3.4.3 addition',
        async run() {
          const t = performance.now();
          for (let i = 0; i < 5000; i++) pk.add(ourCts[i % 64]!, ourCts[(i + 1) % 64]!);
          return rate(5000, t);
        },
        async baseline() {
          const t = performance.now();
          for (let i = 0; i < 5000; i++) ref.publicKey.addition(refCts[i % 16]!, refCts[(i + 1) % 16]!);
          return rate(5000, t);
        },
      },
      {
        name: `secure aggregation ${parties} × ${elements.toLocaleString('en')} (10% dropout), client+server`,
        unit: 'elements/s',
        baselineName: `packed Paillier-2048 sum (${PAILLIER_SUM_PARTIES} parties, encrypt+add+decrypt)`,
        async run() {
          const q = { bits: 32, scale: 2 ** 16, parties };
          const inputs = Array.from({ length: parties }, (_, p) => quantize(Float64Array.from({ length: elements }, (_, i) => ((p + i) % 97) / 7 - 5), q));
          const params = { session: `bench-${Date.now()}`, parties: Array.from({ length: parties }, (_, i) => i + 1), threshold: 67, bits: 32, length: elements };
          let clientMs = 0;
          let serverMs = 0;
          const timed = <T>(side: 'c' | 's', f: () => T): T => {
            const t = performance.now();
            const r = f();
            if (side === 'c') clientMs += performance.now() - t;
            else serverMs += performance.now() - t;
            return r;
          };
          const server = new SecAggServer(params);
          const clients = params.parties.map((id) => timed('c', () => new SecAggClient(id, params)));
          for (const c of clients) {
            const m = timed('c', () => c.advertiseKeys());
            timed('s', () => server.receive(m));
          }
          const dir = timed('s', () => server.closeAdvertiseKeys());
          for (const c of clients) {
            const m = timed('c', () => c.shareKeys(dir));
            timed('s', () => server.receive(m));
          }
          const deliveries = timed('s', () => server.closeShareKeys());
          const alive = clients.slice(dropouts); // 10% drop after sharing keys: their pairwise masks must be recovered
          for (const c of alive) {
            const m = timed('c', () => c.maskedInput(deliveries.get(c.id)!, inputs[c.id - 1]!));
            timed('s', () => server.receive(m));
          }
          const list = timed('s', () => server.closeMaskedInput());
          for (const c of alive) {
            const m = timed('c', () => c.unmask(list));
            timed('s', () => server.receive(m));
          }
          const sum = timed('s', () => server.result());
          const check = dequantize(sum, q)[0]!;
          const expected = alive.reduce((s, c) => s + Math.round((((c.id - 1) % 97) / 7 - 5) * q.scale) / q.scale, 0);
          if (Math.abs(check - expected) > 1e-6) throw new Error(`secure aggregation sum is wrong: ${check} ≠ ${expected}`);
          options.progress(`secure aggregation: clients ${(clientMs / 1000).toFixed(2)} s total (${(clientMs / parties).toFixed(0)} ms each), server ${(serverMs / 1000).toFixed(2)} s`);
          return (parties * elements) / ((clientMs + serverMs) / 1000);
        },
        async baseline() {
          // each party: quantize → pack (32-bit values, headroom for the sum) → encrypt; server: add; owner: decrypt
          const n = pk.n;
          const layout = packingLayout(n, 32, parties);
          const t = performance.now();
          let acc: bigint[] | undefined;
          for (let p = 0; p < PAILLIER_SUM_PARTIES; p++) {
            const q = quantize(Float64Array.from({ length: elements }, (_, i) => ((p + i) % 97) / 7 - 5), { bits: 32, scale: 2 ** 16, parties });
            const cts = packVector(Array.from(q), layout).map((m) => pk.encrypt(m));
            acc = acc ? acc.map((c, j) => pk.add(c, cts[j]!)) : cts;
          }
          const slots = unpackVector(acc!.map((c) => sk.decrypt(c)), layout, elements);
          const first = Number(slots[0]! % 2n ** 32n);
          if (!Number.isFinite(first)) throw new Error('Paillier sum failed');
          return (PAILLIER_SUM_PARTIES * elements) / ((performance.now() - t) / 1000);
        },
      },
    ];
    return { cases, async cleanup() {} };
  },
};
