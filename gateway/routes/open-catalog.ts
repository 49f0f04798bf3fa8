// The public open-data catalog (no token): search with facets, one entry, and the per-department summary.
import { createRoute, z } from '@hono/zod-openapi';
import {
  CATALOG_SORTS,
  DOWNLOAD_FORMATS,
  departmentSummary,
  searchCatalog,
  showCatalogEntry,
} from '../../catalog-open/index.ts';
import { GRADES } from '../../store/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { servicesOf } from '../middleware/authenticate.ts';
import { problemResponses } from './shared.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const openTypeSchema = z.enum(['unconditional', 'conditional']);
const facetList = z.array(z.object({ value: z.string(), label: z.string().optional(), count: z.number().int() }));

export const catalogSummarySchema = z.object({
  code: z.string(),
  resourceCode: z.string(),
  name: z.string(),
  summary: z.string(),
  department: z.string(),
  departmentCode: z.string(),
  theme: z.string(),
  keywords: z.array(z.string()),
  openType: openTypeSchema,
  grade: z.enum(GRADES),
  updateCycle: z.string(),
  formats: z.array(z.enum(DOWNLOAD_FORMATS)),
  modified: z.string(),
  issued: z.string().nullable(),
  qualityScore: z.number(),
  described: z.boolean(),
});

const qualitySchema = z.object({
  score: z.number(),
  parts: z.object({ completeness: z.number(), timeliness: z.number(), openFormat: z.number(), workingDownloads: z.number() }),
  missing: z.array(z.string()),
  overdue: z.boolean(),
});

export const catalogEntrySchema = catalogSummarySchema.extend({
  description: z.string(),
  classification: z
    .object({ category: z.string(), item: z.string().optional(), section: z.string().optional(), detail: z.string().optional() })
    .nullable(),
  openConditions: z.string().nullable(),
  shareType: z.enum(['unconditional', 'conditional', 'not_shared']),
  license: z.string(),
  nextUpdateDue: z.string().nullable(),
  temporal: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
  spatial: z.string().nullable(),
  containsPersonalInfo: z.boolean(),
  containsSensitivePersonalInfo: z.boolean(),
  distributions: z.array(
    z.object({
      format: z.enum(DOWNLOAD_FORMATS),
      mediaType: z.string(),
      downloadUrl: z.string(),
      byteSize: z.number().nullable(),
      checksum: z.string().nullable(),
      rowCount: z.number().nullable(),
      version: z.number().nullable(),
    }),
  ),
  fields: z.array(z.object({ name: z.string(), type: z.string(), description: z.string(), masked: z.boolean() })),
  withheldFields: z.number().int(),
  downloadable: z.boolean(),
  versions: z.array(
    z.object({ version: z.number(), rowCount: z.number(), byteCount: z.number(), checksum: z.string(), format: z.string(), loadedAt: z.string() }),
  ),
  quality: qualitySchema,
  downloads: z.number(),
  feedback: z.object({ open: z.number(), resolved: z.number() }),
});

const searchQuerySchema = z.object({
  q: z.string().max(200).optional(),
  department: z.string().max(200).optional(),
  theme: z.string().max(50).optional(),
  openType: openTypeSchema.optional(),
  format: z.enum(DOWNLOAD_FORMATS).optional(),
  grade: z.enum(GRADES).optional(),
  sort: z.enum(CATALOG_SORTS).default('modified'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(400).optional(),
});

const search = createRoute({
  method: 'get',
  path: '/open/datasets',
  operationId: 'searchOpenDatasets',
  security: [],
  tags: ['open data'],
  summary: 'Search the open-data catalog (无条件 and 有条件 datasets) with facets and a cursor',
  description:
    '`q` matches any part of name, summary, keywords, department, theme and field names (substring, Chinese included; no wildcards). ' +
    '`department` takes a department code or name. Facets and `total` count the whole result. Sort `modified` (newest first), `name` or `code`; the dataset code breaks ties.',
  request: { query: searchQuerySchema },
  responses: {
    200: json(
      z.object({
        items: z.array(catalogSummarySchema),
        facets: z.object({ department: facetList, theme: facetList, openType: facetList, format: facetList, grade: facetList }),
        nextCursor: z.string().nullable(),
        total: z.number().int(),
      }),
      'a page of catalog entries',
    ),
    ...problemResponses(400, 429),
  },
});

const show = createRoute({
  method: 'get',
  path: '/open/datasets/{code}',
  operationId: 'getOpenDataset',
  security: [],
  tags: ['open data'],
  summary: 'One catalog entry: metadata, distributions, released fields, versions and quality score',
  request: { params: z.object({ code: z.string().min(1).max(48) }) },
  responses: { 200: json(catalogEntrySchema, 'the entry'), ...problemResponses(400, 404, 429) },
});

const departments = createRoute({
  method: 'get',
  path: '/open/departments',
  operationId: 'listOpenDepartments',
  security: [],
  tags: ['open data'],
  summary: 'Per-department summary: datasets by open attribute, mean quality score, overdue updates',
  responses: {
    200: json(
      z.object({
        items: z.array(
          z.object({
            department: z.string(),
            departmentCode: z.string(),
            datasets: z.object({ unconditional: z.number(), conditional: z.number(), notOpen: z.number(), total: z.number() }),
            meanQuality: z.number(),
            overdueUpdates: z.number(),
            downloads: z.number(),
            feedback: z.object({ open: z.number(), resolved: z.number() }),
          }),
        ),
      }),
      'every department with a registered dataset',
    ),
    ...problemResponses(429),
  },
});

export function openCatalogRoutes(app: App, deps: GatewayDeps) {
  app.openapi(search, async (c) => {
    const { database, policies } = servicesOf(deps);
    return c.json(await searchCatalog(database, policies, c.req.valid('query')), 200);
  });
  app.openapi(show, async (c) => {
    const { database, policies } = servicesOf(deps);
    return c.json(await showCatalogEntry(database, policies, c.req.valid('param').code), 200);
  });
  app.openapi(departments, async (c) => {
    const { database, policies } = servicesOf(deps);
    return c.json({ items: await departmentSummary(database, policies) }, 200);
  });
}
