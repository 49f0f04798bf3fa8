// Plain-text tables for a terminal: columns sized by display width (汉字 take two columns), labels left-aligned and
// numbers right-aligned so that digits of the same place line up. The first row is the header.
import { displayWidth, padToWidth } from './text-width.ts';

export type Align = 'left' | 'right';

/** `align[c]` for column c (default left); the header of a right-aligned column is right-aligned too. */
export function textTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  if (rows.length === 0) return '';
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => displayWidth(r[c] ?? ''))));
  return rows.map((r) => widths.map((w, c) => padToWidth(r[c] ?? '', w, align[c] ?? 'left')).join('  ').trimEnd()).join('\n');
}
