// The row-locality check: two merged outputs of the same job, from independent partitions, must say exactly the same
// thing about every input row. A model whose output for a contributor depends on anything but that contributor's own
// rows (and the job's public parameters) fails it with high probability (docs/disclosure-control.md).
import type { MapOutput } from '../execution/index.ts';

/** The first part that differs: for the audit trail and security staff, never for the operator (it is data-dependent). */
export type Difference = 'rows' | 'keys' | 'measures' | 'features' | 'label';

/** null when both outputs describe the same rows with the same keys, measures, features and label. */
export function firstDifference(a: MapOutput, b: MapOutput): Difference | null {
  if (a.length !== b.length || !sameInts(a.rows, b.rows)) return 'rows';
  if (a.keys.size !== b.keys.size) return 'keys';
  if (a.measures.size !== b.measures.size) return 'measures';
  if (a.features.size !== b.features.size) return 'features';
  for (const [name, ka] of a.keys) {
    const kb = b.keys.get(name);
    if (!kb || kb.type !== ka.type) return 'keys';
    // string keys of one job share code dictionaries (SharedLabels), so equal codes are equal labels
    if (!sameInts(ka.type === 'int' ? ka.values : ka.codes, kb.type === 'int' ? kb.values : kb.codes)) return 'keys';
  }
  for (const [name, va] of a.measures) if (!sameFloats(va, b.measures.get(name))) return 'measures';
  for (const [name, va] of a.features) if (!sameFloats(va, b.features.get(name))) return 'features';
  if ((a.label === null) !== (b.label === null)) return 'label';
  if (a.label && !sameFloats(a.label, b.label ?? undefined)) return 'label';
  return null;
}

function sameInts(a: Int32Array | null, b: Int32Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Canonical floats (merge.ts): equal, or both NaN. */
function sameFloats(a: Float64Array, b: Float64Array | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x === x || y === y)) return false;
  }
  return true;
}
