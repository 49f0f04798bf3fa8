import { parseCopyText as a } from '../store/scan-table.ts';
import { parseCopyText as b } from '/tmp/perf-mask/tree-before/store/scan-table.ts';
import { isDeepStrictEqual } from 'node:util';
const alphabet = ['a', '\\', '\\N', '\t', '\n', 'x', '1', '2.5', 't', 'f', '\\t', '\\\\', '中', ''];
const kindsAll = ['text', 'number', 'boolean'] as const;
for (let k = 0; k < 200000; k++) {
  let s = ''; const len = Math.floor(Math.random() * 20);
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  const kinds = Array.from({ length: Math.floor(Math.random() * 5) }, () => kindsAll[Math.floor(Math.random() * 3)]!);
  const x = a(s, kinds), y = b(s, kinds);
  if (!isDeepStrictEqual(x, y) || x.some((r, i) => r.length !== y[i]!.length)) { console.log('DIFF', JSON.stringify(s), kinds, x, y); process.exit(1); }
}
console.log('fuzz ok');
