import { describe, expect, it } from 'vitest';
import { sm3, sm3Hex } from './sm3.ts';

describe('sm3 (GB/T 32905-2016 Appendix A)', () => {
  it('hashes the 24-bit example "abc"', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('hashes the 512-bit example "abcd" × 16', () => {
    expect(sm3Hex('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('hashes strings as UTF-8, the same as their bytes', () => {
    expect(sm3Hex('审计')).toBe(sm3Hex(new TextEncoder().encode('审计')));
    expect(Buffer.from(sm3('abc')).toString('hex')).toBe(sm3Hex('abc'));
  });
});
