// Disclosure control of a decrypted total: small cells and their secondary partner withheld on every statistic,
// totals computed from all cells, rounding; and the custodian's verifiable decryption on a small key.
import { describe, expect, it } from 'vitest';
import { paillier } from '../../crypto/index.ts';
import { answerDecryptionRequest } from './client.ts';
import { releaseTotal } from './release-total.ts';

const layout = { cells: ['a', 'b', 'c'], sums: ['arrears'], valueBits: 40 };

describe('releaseTotal', () => {
  it('releases every cell and exact totals when none is small (base 1)', () => {
    const out = releaseTotal(layout, [10, 20, 30, 100, 200, 300], { grade: 'general-1', minCellCount: 5, roundingBase: 1 });
    expect(out.statistics.map((s) => [s.cells.map((c) => c.value), s.total.value])).toEqual([
      [[10, 20, 30], 60],
      [[100, 200, 300], 600],
    ]);
    expect(out.suppression).toEqual({ primary: 0, secondary: 0 });
  });

  it('withholds a small cell and its cheapest partner in the counts and the sums alike, and rounds', () => {
    const out = releaseTotal(layout, [3, 40, 22, 7, 411, 233], { grade: 'general-3', minCellCount: 10, roundingBase: 5 });
    for (const s of out.statistics) expect(s.cells.map((c) => c.withheld)).toEqual(['small_cell', null, 'secondary']);
    expect(out.statistics[0]!.cells[1]!.value).toBe(40);
    expect(out.statistics[1]!.cells[1]!.value).toBe(410);
    expect(out.statistics[0]!.total.value).toBe(65);
    expect(out.statistics[1]!.total.value).toBe(650); // 651 rounded to 5
  });

  it('refuses a vector that does not fit the layout', () => {
    expect(() => releaseTotal(layout, [1, 2, 3], { grade: 'general-1', minCellCount: 5, roundingBase: 1 })).toThrow(TypeError);
  });
});

describe('answerDecryptionRequest', () => {
  it('returns m and r with c = g^m · r^n mod n², which the platform can check without the private key', () => {
    // known small primes (tests only)
    const { publicKey, privateKey } = paillier.paillierKeysFromPrimes(1000000007n, 998244353n, { allowInsecureSmallKeys: true, djn: { exponentBits: 128 } });
    const c = publicKey.add(publicKey.encrypt(1234n), publicKey.encrypt(5678n));
    const { plaintexts, randomness } = answerDecryptionRequest(privateKey, [c.toString(16)]);
    const m = BigInt('0x' + plaintexts[0]!);
    expect(m).toBe(6912n);
    expect(publicKey.encrypt(m, { r: BigInt('0x' + randomness[0]!) })).toBe(c);
    expect(publicKey.encrypt(m + 1n, { r: BigInt('0x' + randomness[0]!) })).not.toBe(c);
  });
});
