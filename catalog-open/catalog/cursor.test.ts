import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { buildSearchText } from './search-text.ts';

describe('catalog cursor', () => {
  it('round-trips and is bound to its sort', () => {
    const c = encodeCursor({ sort: 'modified', key: '2026-11-22 02:57:50.443+00', code: 'a_b' });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, 'modified')).toEqual({ sort: 'modified', key: '2026-11-22 02:57:50.443+00', code: 'a_b' });
    expect(() => decodeCursor(c, 'name')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it('refuses anything it did not write, naming the parameter', () => {
    for (const raw of ['', '!!', 'bm9wZQ', encodeCursor({ sort: 'modified', key: "'; drop", code: 'x' })]) {
      expect(() => decodeCursor(raw, 'modified'), raw).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST', details: { issues: [expect.objectContaining({ path: 'cursor' })] } }),
      );
    }
  });
});

describe('search text', () => {
  it('holds registry and catalog parts, lower-cased, one per line', () => {
    const text = buildSearchText(
      { code: 'ent', name: 'Enterprise 企业登记信息', description: '描述', department: '市场监督管理局', departmentCode: 'D1', fields: [{ name: 'uscc', type: 'string', description: 'USCC 代码', nullable: false, sensitivity: 'none' }] },
      { resourceCode: 'R/1', summary: '摘要', theme: '市场监管', keywords: ['营业执照'], classification: { category: '类', item: '项' }, spatial: null },
    );
    for (const part of ['enterprise 企业登记信息', '营业执照', '市场监管', '类 项', 'uscc usccode'.slice(0, 4), 'uscc 代码']) expect(text).toContain(part);
    expect(text).not.toMatch(/[A-Z]/);
  });
});
