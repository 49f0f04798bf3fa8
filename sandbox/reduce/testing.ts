// Helpers for tests: building emitted columns from plain arrays. Not for production code.

import type { KeyColumn } from './emitted.ts';

/** A dictionary-encoded column from strings (null = missing), dictionary in order of first appearance. */
export function keyColumn(values: readonly (string | null)[]): KeyColumn {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (v === null) {
      codes[i] = -1;
      return;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = dictionary.length;
      dictionary.push(v);
      index.set(v, c);
    }
    codes[i] = c;
  });
  return { codes, dictionary };
}
