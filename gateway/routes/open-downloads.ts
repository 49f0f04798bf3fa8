// Public downloads of open datasets (no token; conditional data with an approved application's id and status token):
// streamed, desensitized, with validators for caching and gzip on request. The handler validates, asks the verb for
// a plan, and pipes the verb's bytes out.
import { createHash, randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  countDownload,
  findApplicationCredential,
  OUTPUT_FORMATS,
  planDownloadVerb,
  streamDownloadOffLoop,
  type ApplicationCredential,
  type DownloadPlan,
  type MaskInputs,
} from '../../catalog-open/index.ts';
import { applicationEntity, publicEntity } from '../../policies/index.ts';
import type { AuditEvent } from '../../store/index.ts';
import type { App } from '../app.ts';
import type { AppEnv, GatewayDeps, Services } from '../context.ts';
import { servicesOf, verbContext } from '../middleware/authenticate.ts';
import { problemResponses } from './shared.ts';

const RESERVED = new Set(['format', 'fields']);

const download = createRoute({
  method: 'get',
  path: '/open/datasets/{code}/download',
  operationId: 'downloadOpenDataset',
  security: [],
  tags: ['open'],
  summary: 'Download an open dataset, streamed and desensitized by its download policy',
  description:
    'Other query parameters filter rows: `<field>=<value>` (equality) and `<field>.gte=` / `<field>.lte=` (numbers, dates, times) on released, unmasked fields. Conditional-open data needs `X-Application-Id` and `X-Status-Token` of an approved, unexpired application.',
  request: {
    params: z.object({ code: z.string().min(1).max(48) }),
    query: z.object({
      format: z.enum(OUTPUT_FORMATS).default('csv'),
      fields: z.string().min(1).max(2000).optional().describe('comma-separated field names; default every released field'),
    }),
    headers: z.object({
      'x-application-id': z.string().max(64).optional(),
      'x-status-token': z.string().max(200).optional(),
    }),
  },
  responses: {
    200: {
      description: 'the rows, streamed',
      content: Object.fromEntries(
        ['text/csv', 'application/x-ndjson', 'application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'].map((t) => [
          t,
          { schema: z.string() },
        ]),
      ),
    },
    304: { description: 'not modified (If-None-Match or If-Modified-Since)' },
    ...problemResponses(400, 401, 403, 404),
  },
});

/** Whether the client takes gzip (an explicit q=0 refuses it). */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** If-None-Match (weak comparison) wins over If-Modified-Since, as RFC 9110 says. */
function notModified(c: Context<AppEnv>, etag: string, lastModified: Date): boolean {
  const inm = c.req.header('if-none-match');
  if (inm !== undefined) {
    const bare = etag.replace(/^W\//, '');
    return inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
  }
  const ims = c.req.header('if-modified-since');
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

/** The query parameters that are filters: every one but `format` and `fields`, with all their values. */
function filterParameters(c: Context<AppEnv>): Record<string, string[]> {
  const all = c.req.queries();
  return Object.fromEntries(Object.entries(all).filter(([k]) => !RESERVED.has(k)));
}

/** A pull stream over the verb's bytes: cancelling it (client gone) ends the iteration, which frees the cursor. */
function bodyOf(bytes: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await bytes.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await bytes.return(undefined);
    },
  });
}

function downloadAudit(c: Context<AppEnv>, plan: DownloadPlan): AuditEvent {
  return {
    actor: { type: 'public', id: null },
    action: 'open.download',
    resource: `dataset:${plan.code}`,
    outcome: 'ok',
    ip: c.get('ip'),
    requestId: c.get('requestId'),
    // names only: which fields and which filters, never a filter value
    details: { application: plan.applicationId, version: plan.version, format: plan.format, fields: plan.fieldNames, filters: plan.filterNames },
  };
}

// pseudonyms in open downloads are keyed per process: stable within a run (ETags hold), unlinkable across restarts
const pseudonymKey = new Uint8Array(randomBytes(32));
const pseudonymKeyId = createHash('sha256').update(pseudonymKey).digest('hex').slice(0, 16);
const maskInputs = (): MaskInputs => ({ pseudonymKey, pseudonymKeyId, asOf: new Date().toISOString().slice(0, 10) });

/** What to send: a validated request, with the application's credential when it is one's download. */
export interface DownloadAsked {
  code: string;
  format: (typeof OUTPUT_FORMATS)[number];
  fields: string[] | undefined;
  filters: Record<string, string[]>;
  application: ApplicationCredential | undefined;
}

/**
 * Plans (Cedar decides inside the verb), audits an application's download, answers 304 to a matching validator, and
 * streams the file. Shared by this route and the portal's download for an approved applicant.
 */
export async function sendDownload(c: Context<AppEnv>, deps: GatewayDeps, asked: DownloadAsked): Promise<Response> {
  const services: Services = servicesOf(deps);
  const { application } = asked;
  // decisions are collected here: public downloads are counted, not audited (high volume, open data); an
  // application's downloads are audited, allowed or refused
  const trail: AuditEvent[] = [];
  c.set('auditTrail', trail);
  c.set('principal', application ? applicationEntity(application) : publicEntity());
  // one day for the plan (its ETag) and the bytes, even across midnight
  const inputs = maskInputs();
  let plan: DownloadPlan;
  try {
    plan = await planDownloadVerb(
      verbContext(deps, c),
      services.policies,
      { code: asked.code, format: asked.format, fields: asked.fields, filters: asked.filters, application },
      inputs,
    );
  } finally {
    if (application) await Promise.all(trail.map((event) => services.audit.append(event)));
  }

  const etag = `W/${plan.etag}`;
  const headers: Record<string, string> = {
    etag,
    'last-modified': plan.loadedAt.toUTCString(),
    vary: 'Accept-Encoding, X-Application-Id, X-Status-Token',
    'cache-control': application ? 'private, no-cache' : 'public, no-cache',
  };
  if (notModified(c, etag, plan.loadedAt)) return c.body(null, 304, headers);
  if (application) await services.audit.append(downloadAudit(c, plan));

  const bytes = streamDownloadOffLoop(services.database, plan, inputs, async () => {
    // counted once the last byte is produced; a failed count must not break a finished download
    await countDownload(services.database, plan.code, plan.format).catch((err: unknown) => {
      deps.logger.warn({ requestId: c.get('requestId'), err: { name: (err as Error).name } }, 'download count failed');
    });
  });
  let body = bodyOf(bytes);
  headers['content-type'] = plan.mediaType;
  headers['content-disposition'] = `attachment; filename="${plan.filename.ascii}"; filename*=UTF-8''${plan.filename.utf8}`;
  // XLSX is a zip already
  if (plan.format !== 'xlsx' && acceptsGzip(c.req.header('accept-encoding'))) {
    body = body.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
    headers['content-encoding'] = 'gzip';
  }
  return c.body(body, 200, headers);
}

export function openDownloadRoutes(app: App, deps: GatewayDeps) {
  app.openapi(download, async (c) => {
    const { code } = c.req.valid('param');
    const { format, fields } = c.req.valid('query');
    const id = c.req.header('x-application-id');
    const token = c.req.header('x-status-token');
    let application: ApplicationCredential | undefined;
    if (id !== undefined || token !== undefined) application = await findApplicationCredential(servicesOf(deps).database, id ?? '', token ?? '');
    return sendDownload(c, deps, { code, format, fields: fields?.split(',').map((f) => f.trim()), filters: filterParameters(c), application });
  });
}
