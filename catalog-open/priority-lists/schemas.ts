// Zod inputs of the priority-list verbs: a draft's items, a publication, the year and department that name a list.
import { z } from 'zod';
import { UPDATE_CYCLES } from '../../store/index.ts';

/** Years a list may be for; anything else is a malformed path, not an unknown list. */
export const yearSchema = z.coerce.number().int().min(2000).max(2100);
export const departmentCodeSchema = z.string().trim().min(1).max(64);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return Number.isFinite(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

/** One draft item as a steward sends it. `seq` is optional: given on every item or on none (then array order). */
export const priorityListItemInputSchema = z.object({
  seq: z.number().int().min(1).max(100_000).optional(),
  theme: z.string().trim().min(1).max(50),
  name: z.string().trim().min(1).max(200),
  summary: z.string().trim().max(2000).default(''),
  openType: z.enum(['unconditional', 'conditional']),
  accessMethods: z
    .array(z.enum(['download', 'api']))
    .min(1)
    .max(2)
    .refine((a) => new Set(a).size === a.length, 'each access method once'),
  formats: z.array(z.string().trim().min(1).max(16)).min(1).max(10),
  updateCycle: z.enum(UPDATE_CYCLES),
  plannedDate: isoDate,
  demandSource: z.string().trim().max(200).default(''),
  datasetCode: z.string().trim().min(1).max(48).nullish(),
  note: z.string().trim().max(1000).optional(),
});
export type PriorityListItemInput = z.input<typeof priorityListItemInputSchema>;

export const saveDraftSchema = z.object({
  items: z.array(priorityListItemInputSchema).max(1000),
});
export type SaveDraftInput = z.input<typeof saveDraftSchema>;

export const publishSchema = z.object({
  /** required from the second version on: why the published list changed */
  changeNote: z.string().trim().min(1).max(2000).optional(),
});
export type PublishInput = z.input<typeof publishSchema>;

export const PUBLIC_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type PublicFormat = (typeof PUBLIC_FORMATS)[number];
