// Public side of the annual priority lists: the years, a year's lists as JSON, CSV or XLSX, and a two-year comparison.
import { createRoute, z } from '@hono/zod-openapi';
import {
  comparePriorityYears,
  exportPriorityListFile,
  listPublicPriorityYears,
  PRIORITY_ITEM_STATUSES,
  PRIORITY_LIST_FORMATS,
  showPublicPriorityYear,
} from '../../catalog-open/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { servicesOf } from '../middleware/authenticate.ts';
import { json, presentedItemSchema, yearParam } from './priority-list-schemas.ts';
import { problemResponses } from './shared.ts';

const departmentQuery = z.string().min(1).max(64).optional().openapi({ description: 'department code' });

const yearsSchema = z.object({
  items: z.array(
    z.object({
      year: z.number().int(),
      items: z.number().int(),
      departments: z.array(z.object({ departmentCode: z.string(), department: z.string(), version: z.number().int(), items: z.number().int(), publishedAt: z.string() })),
    }),
  ),
  nextCursor: z.null(),
});
const yearListsSchema = z.object({
  year: z.number().int(),
  asOf: z.string().describe('the day (China time) the statuses were computed for'),
  departments: z.array(
    z.object({
      departmentCode: z.string(),
      department: z.string(),
      version: z.number().int(),
      changeNote: z.string().nullable(),
      publishedAt: z.string(),
      items: z.array(presentedItemSchema),
    }),
  ),
});
const countsSchema = z
  .object({
    items: z.number().int(),
    byStatus: z.record(z.enum(PRIORITY_ITEM_STATUSES), z.number().int()),
    byOpenType: z.object({ unconditional: z.number().int(), conditional: z.number().int() }),
  })
  .nullable();
const refSchema = z.object({ seq: z.number().int(), name: z.string(), datasetCode: z.string().nullable(), status: z.enum(PRIORITY_ITEM_STATUSES) });
const compareSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  departments: z.array(
    z.object({
      departmentCode: z.string(),
      department: z.string(),
      from: countsSchema,
      to: countsSchema,
      added: z.array(refSchema),
      dropped: z.array(refSchema),
      carriedOver: z.array(z.object({ from: refSchema, to: refSchema })),
    }),
  ),
});

const years = createRoute({
  method: 'get',
  path: '/open/priority-lists',
  operationId: 'listPublishedPriorityYears',
  security: [],
  tags: ['open data'],
  summary: 'Years with a published priority list (年度政务数据开放重点清单), with departments and item counts',
  responses: { 200: json(yearsSchema, 'the years, newest first'), ...problemResponses(429) },
});
const compare = createRoute({
  method: 'get',
  path: '/open/priority-lists/compare',
  operationId: 'comparePriorityYears',
  security: [],
  tags: ['open data'],
  summary: 'Compare two years: counts by status and open attribute, items added, dropped and carried over',
  description: 'Items are matched by linked dataset code, then by name.',
  request: { query: z.object({ from: yearParam, to: yearParam, department: departmentQuery }) },
  responses: { 200: json(compareSchema, 'the comparison'), ...problemResponses(400, 404, 429) },
});
const year = createRoute({
  method: 'get',
  path: '/open/priority-lists/{year}',
  operationId: 'getPublishedPriorityLists',
  security: [],
  tags: ['open data'],
  summary: "A year's published lists (latest version of each department), items with computed status",
  description: 'CSV is UTF-8 with a byte order mark and Chinese column headers, so Excel opens it correctly; XLSX has the same columns.',
  request: {
    params: z.object({ year: yearParam.openapi({ param: { name: 'year', in: 'path' }, example: 2026 }) }),
    query: z.object({ department: departmentQuery, format: z.enum(PRIORITY_LIST_FORMATS).default('json') }),
  },
  responses: {
    200: {
      description: 'the lists',
      content: {
        'application/json': { schema: yearListsSchema },
        'text/csv': { schema: z.string() },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...problemResponses(400, 404, 429),
  },
});

const MEDIA = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

export function openPriorityListRoutes(app: App, deps: GatewayDeps) {
  const db = () => servicesOf(deps).database.db;

  app.openapi(years, async (c) => c.json(await listPublicPriorityYears(db()), 200));
  // registered before /{year} so that "compare" is never read as a year
  app.openapi(compare, async (c) => {
    const q = c.req.valid('query');
    return c.json(await comparePriorityYears(db(), { from: q.from, to: q.to, departmentCode: q.department }), 200);
  });
  app.openapi(year, async (c) => {
    const { year: y } = c.req.valid('param');
    const { department, format } = c.req.valid('query');
    const lists = await showPublicPriorityYear(db(), { year: y, departmentCode: department });
    if (format === 'json') return c.json(lists, 200);
    const items = lists.departments.flatMap((d) => d.items);
    const bytes = await exportPriorityListFile(format, items, { baseUrl: deps.config.publicUrl });
    const name = `priority-list-${y}${department ? `-${department.replace(/[^A-Za-z0-9_-]/g, '')}` : ''}.${format}`;
    // a file, not the JSON schema: the typed openapi handler cannot express a binary answer, hence the cast
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': MEDIA[format],
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'public, max-age=300',
    }) as never;
  });
}
