// The bytes of a planned download: rows read in batches, masked value by value, written in the format asked.
import type { Database, FieldValue } from '../../store/index.ts';
import { scanTable } from '../../store/index.ts';
import { writeRows, type OutputRow } from '../formats/index.ts';
import type { DownloadPlan } from './plan-download.ts';

/** The plan's rows, masked: nothing read from the table reaches the writer unmasked. */
export async function* maskedBatches(database: Database, plan: Pick<DownloadPlan, 'scan' | 'masks'>): AsyncGenerator<OutputRow[]> {
  const masks = plan.masks;
  const n = masks.length;
  for await (const batch of scanTable(database, plan.scan)) {
    const out = new Array<OutputRow>(batch.length);
    for (let r = 0; r < batch.length; r++) {
      const raw = batch[r]!;
      const row = new Array<FieldValue>(n);
      for (let i = 0; i < n; i++) row[i] = masks[i]!((raw[i] ?? null) as FieldValue);
      out[r] = row;
    }
    yield out;
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
