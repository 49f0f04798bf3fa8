// Zod input of the steward's catalog metadata (PUT /steward/datasets/{code}/catalog): the whole entry, replaced.
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');

export const catalogEntryInputSchema = z
  .object({
    /** 资源代码, e.g. `330000000000/00001` */
    resourceCode: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z][0-9A-Za-z./-]{2,63}$/, 'letters, digits and . / -, 3 to 64 characters'),
    summary: text(2000),
    /** 资源分类: 类 / 项 / 目 / 细目 */
    classification: z
      .object({ category: text(100), item: text(100).optional(), section: text(100).optional(), detail: text(100).optional() })
      .nullable()
      .default(null),
    /** 数据领域, e.g. 社会保障 */
    theme: text(50),
    keywords: z
      .array(text(40))
      .max(20)
      .default([])
      .refine((k) => new Set(k).size === k.length, 'keywords must be unique'),
    /** 开放条件 (conditional-open data) */
    openConditions: text(2000).nullable().default(null),
    /** 共享属性 */
    shareType: z.enum(['unconditional', 'conditional', 'not_shared']).default('conditional'),
    license: text(100).default('CC-BY-4.0'),
    nextUpdateDue: isoDate.nullable().default(null),
    temporal: z
      .object({ start: isoDate.nullable().default(null), end: isoDate.nullable().default(null) })
      .refine((t) => t.start === null || t.end === null || t.start <= t.end, { message: 'start must not be after end', path: ['end'] })
      .default({ start: null, end: null }),
    /** GB/T 2260 division code or name of the covered area */
    spatial: text(200).nullable().default(null),
  })
  .strict();

export type CatalogEntryInput = z.input<typeof catalogEntryInputSchema>;
export type CatalogEntryValues = z.infer<typeof catalogEntryInputSchema>;
