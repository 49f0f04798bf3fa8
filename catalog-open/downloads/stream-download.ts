// The bytes of a planned download: rows read in batches, masked value by value, written in the format asked.
import type { Database, FieldValue } from '../../store/index.ts';
import { scanTable } from '../../store/index.ts';
import { writeRows, type OutputRow } from '../formats/index.ts';
import type { DownloadPlan } from './plan-download.ts';

/**
 * The plan's rows, masked: nothing read from the table reaches the writer unmasked. Each batch is masked in place
 * (the scan hands over fresh arrays nobody else holds), one column at a time: no second array per row for the
 * garbage collector, and each mask runs over a whole column while its code and its last-value memo are hot.
 */
export async function* maskedBatches(database: Database, plan: Pick<DownloadPlan, 'scan' | 'masks'>): AsyncGenerator<OutputRow[]> {
  const masks = plan.masks;
  const n = masks.length;
  for await (const batch of scanTable(database, plan.scan)) {
    const rows = batch as FieldValue[][];
    const count = rows.length;
    for (let i = 0; i < n; i++) {
      const mask = masks[i]!;
      for (let r = 0; r < count; r++) {
        const row = rows[r]!;
        row[i] = mask(row[i] ?? null);
      }
    }
    for (let r = 0; r < count; r++) if (rows[r]!.length !== n) rows[r]!.length = n;
    yield rows;
  }
}

/**
 * The download's bytes. Ending the iteration early (the client went away) stops the read and frees the cursor.
 * `onComplete` runs once after the last byte was produced, not when the download was cut short.
 */
export async function* streamDownload(database: Database, plan: DownloadPlan, onComplete?: () => Promise<void>): AsyncGenerator<Uint8Array> {
  yield* writeRows(plan.format, plan.columns, maskedBatches(database, plan), { sheetName: plan.code });
  await onComplete?.();
}
