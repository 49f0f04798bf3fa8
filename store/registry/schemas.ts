// Zod inputs of the registry: what a steward may declare about a dataset.
import { z } from 'zod';
import { FIELD_TYPES, GRADES, OPEN_TYPES, SENSITIVITIES, UPDATE_CYCLES } from './types.ts';
import { IDENTIFIER } from './physical-table.ts';

const identifier = z.string().regex(IDENTIFIER, 'lower-case snake_case, starting with a letter, at most 48 characters');
const text = (max: number) => z.string().trim().min(1).max(max);

export const fieldDefinitionSchema = z.object({
  name: identifier,
  type: z.enum(FIELD_TYPES),
  description: text(500),
  nullable: z.boolean().default(true),
  sensitivity: z.enum(SENSITIVITIES).default('none'),
});

const fieldsSchema = z
  .array(fieldDefinitionSchema)
  .min(1)
  .max(200)
  .refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, 'field names must be unique');

export const datasetDefinitionSchema = z.object({
  code: identifier,
  name: text(200),
  description: text(2000),
  department: text(200),
  departmentCode: text(40),
  sourceSystem: text(200),
  updateCycle: z.enum(UPDATE_CYCLES),
  grade: z.enum(GRADES),
  openType: z.enum(OPEN_TYPES),
  fields: fieldsSchema,
});

/** Everything but the code may change; changing fields applies to the next load, not to loaded versions. */
export const datasetPatchSchema = datasetDefinitionSchema.omit({ code: true }).partial();

export type DatasetDefinitionInput = z.input<typeof datasetDefinitionSchema>;
export type DatasetPatch = z.infer<typeof datasetPatchSchema>;
