// The time a real run takes as seen from outside: a slot fixed from public facts (the version's row count, the fields
// read), so that when a job ends says nothing about the data. A run that takes longer ends at the next multiple of
// its slot: each overrun reveals which multiple, bounded by the worker's limits (docs/disclosure-control.md).
import { z } from 'zod';

export interface SlotOptions {
  /** every real run's fixed part, ms; default 1,000 */
  readonly baseMs?: number;
  /** per million cells (rows × (fields + 1)), ms; default 4,000 */
  readonly perMillionCellsMs?: number;
}

export const DEFAULT_SLOT = { baseMs: 1000, perMillionCellsMs: 4000 } as const;

/** The slot's variables, for every process that runs jobs (the gateway's config schema spreads this in). */
export const slotEnvShape = {
  JOB_SLOT_BASE_MS: z.coerce.number().int().min(10).max(600_000).optional(),
  JOB_SLOT_PER_MILLION_CELLS_MS: z.coerce.number().int().min(0).max(600_000).optional(),
};
const envSchema = z.object(slotEnvShape);

/**
 * The slot from JOB_SLOT_BASE_MS and JOB_SLOT_PER_MILLION_CELLS_MS (both optional). Throws Error with one line per bad
 * variable (the caller prints it and exits).
 */
export function slotOptionsFromEnv(env: Record<string, string | undefined>): SlotOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  return slotOptionsOf(parsed.data);
}

/** The slot from already-validated variables. */
export function slotOptionsOf(e: { JOB_SLOT_BASE_MS?: number | undefined; JOB_SLOT_PER_MILLION_CELLS_MS?: number | undefined }): SlotOptions {
  return {
    ...(e.JOB_SLOT_BASE_MS !== undefined ? { baseMs: e.JOB_SLOT_BASE_MS } : {}),
    ...(e.JOB_SLOT_PER_MILLION_CELLS_MS !== undefined ? { perMillionCellsMs: e.JOB_SLOT_PER_MILLION_CELLS_MS } : {}),
  };
}

/**
 * The slot of a job over `rows` rows and `fields` licensed fields, rounded up to 100 ms — or to 10 ms when it is
 * shorter than 100 ms (only a configuration that asked for a slot under 100 ms gets one: the slot is made of public
 * facts, so its rounding hides nothing; rounding 10 ms up to 100 ms only held short jobs back).
 */
export function slotMs(rows: number, fields: number, options: SlotOptions = {}): number {
  const base = options.baseMs ?? DEFAULT_SLOT.baseMs;
  const per = options.perMillionCellsMs ?? DEFAULT_SLOT.perMillionCellsMs;
  const raw = base + (per * rows * (fields + 1)) / 1e6;
  const step = raw < 100 ? 10 : 100;
  return Math.ceil(raw / step) * step;
}

/** The end of the run as shown: the first multiple of the slot at or after the work's own end. */
export function paddedMs(elapsedMs: number, slot: number): number {
  return Math.max(1, Math.ceil(elapsedMs / slot)) * slot;
}
