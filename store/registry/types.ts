// The shape of a registered dataset: what stewards declare and what generators, loaders and readers agree on.
// Wire format (GET /steward/datasets): outside tools rely on these names.

/** Column types a dataset field can have; each maps to one PostgreSQL type (see physical-table.ts). */
export const FIELD_TYPES = ['string', 'integer', 'decimal', 'boolean', 'date', 'timestamp'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Personal-information flag of a field (PIPL): sensitive personal information per art. 28. */
export const SENSITIVITIES = ['none', 'personal', 'sensitive_personal'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** Data grade per GB/T 43697-2024. */
export const GRADES = ['core', 'important', 'general'] as const;
export type Grade = (typeof GRADES)[number];

/** Open attribute: 无条件开放 / 有条件开放 / 不予开放. */
export const OPEN_TYPES = ['unconditional', 'conditional', 'not_open'] as const;
export type OpenType = (typeof OPEN_TYPES)[number];

export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];

export interface FieldDefinition {
  /** snake_case column name, unique in its dataset */
  name: string;
  type: FieldType;
  description: string;
  nullable: boolean;
  sensitivity: Sensitivity;
}

export interface DatasetDefinition {
  /** snake_case code, e.g. `population` */
  code: string;
  name: string;
  description: string;
  department: string;
  /** unified social credit code or organisation code of the providing department */
  departmentCode: string;
  sourceSystem: string;
  updateCycle: UpdateCycle;
  grade: Grade;
  openType: OpenType;
  fields: FieldDefinition[];
}

/** A value of one field in one row, as generators produce it and loaders accept it. Dates are `YYYY-MM-DD`. */
export type FieldValue = string | number | boolean | null;
export type Row = Record<string, FieldValue>;
