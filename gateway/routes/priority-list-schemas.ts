// Response schemas of the priority-list routes (steward and public), for validation of the wire shape and OpenAPI.
import { z } from '@hono/zod-openapi';
import { PRIORITY_ITEM_STATUSES } from '../../catalog-open/index.ts';

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export const storedItemSchema = z.object({
  seq: z.number().int().describe('序号'),
  theme: z.string().describe('数据领域'),
  name: z.string().describe('数据名称'),
  summary: z.string().describe('数据摘要/主要数据项'),
  openType: z.enum(['unconditional', 'conditional']).describe('开放属性'),
  accessMethods: z.array(z.enum(['download', 'api'])).describe('开放方式'),
  formats: z.array(z.string()).describe('数据格式'),
  updateCycle: z.string().describe('更新频率'),
  plannedDate: z.string().describe('计划开放时间 YYYY-MM-DD'),
  demandSource: z.string().describe('需求来源'),
  datasetCode: z.string().nullable().optional().describe('the catalog entry this item opens'),
  note: z.string().optional().describe('备注'),
});

export const presentedItemSchema = storedItemSchema.extend({
  department: z.string().describe('提供部门'),
  departmentCode: z.string(),
  status: z.enum(PRIORITY_ITEM_STATUSES).describe('状态, computed at read time'),
  link: z.string().nullable().describe('/open/datasets/{code} once opened'),
});

/** A list's year: 2000..2100; anything else is a malformed path or query (400), not an unknown list (404). */
export const yearParam = z.coerce.number().int().min(2000).max(2100);
