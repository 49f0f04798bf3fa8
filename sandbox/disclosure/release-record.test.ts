import { describe, expect, it } from 'vitest';
import { releaseRecord } from './release-record.ts';

describe('releaseRecord', () => {
  it('hashes the code with SHA-256 and SM3 (known answers for "abc") and carries the checks', () => {
    const record = releaseRecord({
      jobId: 'job-1',
      operator: 'op-1',
      code: 'abc',
      dataVersions: { population: 'v3' },
      policyVersion: 'p-2025-01',
      check: { outcome: 'release', epsilonSpent: 0.1, report: [{ check: 'size_gate', outcome: 'pass', details: {} }] },
      createdAt: '2025-01-01T00:00:00Z',
    });
    expect(record.codeHash.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // GB/T 32905-2016, example 1
    expect(record.codeHash.sm3).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(record).toMatchObject({ jobId: 'job-1', operator: 'op-1', dataVersions: { population: 'v3' }, policyVersion: 'p-2025-01', outcome: 'release', epsilonSpent: 0.1 });
    expect(record.checks).toHaveLength(1);
    const fromBytes = releaseRecord({ ...record, code: new TextEncoder().encode('abc'), check: { outcome: 'release', epsilonSpent: 0, report: [] } });
    expect(fromBytes.codeHash).toEqual(record.codeHash);
  });
});
