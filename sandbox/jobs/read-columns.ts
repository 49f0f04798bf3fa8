// The licensed, masked input of a job as whole columns in memory: for the platform's own small reads (open
// statistics, a federated round's local part). Jobs read in batches at any size (masked-input.ts, confined-run.ts).
import type { PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import type { ColumnInput } from '../execution/index.ts';
import { contributorHex } from './contributor-ids.ts';
import { openMaskedInput, type MaskOptions } from './masked-input.ts';

export interface LicensedColumns {
  columns: Record<string, ColumnInput>;
  /** per row, the contributor's platform-keyed pseudonym (dictionary-encoded); null when each row is its own contributor */
  contributorIds: { codes: Int32Array; dictionary: string[] } | null;
  /** per row, its stable id in the version (see MaskedBatch.rowIds) */
  rowIds: Float64Array;
  rowCount: number;
  version: number;
}

/**
 * Reads and masks `fields` (already authorised against the licence); with `contributor`, each row's contributor is
 * its contributor id (contributor-ids.ts) under `contributor.key`. Throws as openMaskedInput.
 */
export async function readLicensedColumns(
  database: Database,
  policies: PolicySet,
  code: string,
  fields: readonly string[],
  mask: MaskOptions,
  contributor?: { readonly field: string; readonly key: Uint8Array },
): Promise<LicensedColumns> {
  const input = await openMaskedInput(database, policies, code, fields, mask, contributor);
  const parts: (Float64Array | Int32Array)[][] = input.fields.map(() => []);
  const ids: Float64Array[] = [];
  const who: { codes: number[]; dictionary: string[]; index: Map<string, number> } = { codes: [], dictionary: [], index: new Map() };
  let rowCount = 0;
  for await (const batch of input.batches) {
    rowCount += batch.rows;
    batch.values.forEach((v, f) => parts[f]!.push(v));
    ids.push(batch.rowIds);
    if (batch.contributor) {
      const { words, missing } = batch.contributor;
      for (let i = 0; i < batch.rows; i++) {
        if (missing[i]) {
          who.codes.push(-1);
          continue;
        }
        const hex = contributorHex(words, i);
        let c = who.index.get(hex);
        if (c === undefined) who.index.set(hex, (c = who.dictionary.push(hex) - 1));
        who.codes.push(c);
      }
    }
  }
  const columns: Record<string, ColumnInput> = {};
  input.fields.forEach((field, f) => {
    const whole = concat(parts[f]!, field.kind === 'f64' ? Float64Array : Int32Array, rowCount);
    if (field.kind === 'f64') columns[field.name] = whole as Float64Array;
    else if (field.kind === 'bool' && !input.boolMissing(f)) columns[field.name] = whole as Int32Array;
    else columns[field.name] = { codes: whole as Int32Array, dictionary: field.kind === 'bool' ? ['false', 'true'] : input.dictionary(f) };
  });
  return {
    columns,
    contributorIds: contributor ? { codes: Int32Array.from(who.codes), dictionary: who.dictionary } : null,
    rowIds: concat(ids, Float64Array, rowCount) as Float64Array,
    rowCount,
    version: input.version,
  };
}

function concat(parts: readonly (Float64Array | Int32Array)[], make: Float64ArrayConstructor | Int32ArrayConstructor, length: number): Float64Array | Int32Array {
  const out = new make(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
