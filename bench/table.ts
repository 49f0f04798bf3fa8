// Prints benchmark results as an aligned table.
import type { BenchResult } from './harness.ts';

function fmt(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function printTable(results: BenchResult[]): void {
  const rows = [
    ['group', 'case', 'value', 'unit', 'baseline', 'baseline is', 'ratio', 'runs'],
    ...results.map((r) => [r.group, r.name, fmt(r.value), r.unit, fmt(r.baseline), r.baselineName, `${r.ratio.toFixed(2)}×`, String(r.runs)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const line = (r: string[]) => r.map((cell, i) => (i >= 2 && i !== 3 && i !== 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${line(rows[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of rows.slice(1)) process.stdout.write(`${line(r)}\n`);
  process.stdout.write('\nvalues are medians; ratio = value / baseline (rates: higher is better)\n');
}
