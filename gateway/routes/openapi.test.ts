// The OpenAPI document as generated clients and SDKs need it: every operation named (operationId, unique), its
// security stated (public ones say so with `security: []`) and at least one 4xx answer. `npm run lint:openapi` runs
// Redocly's full rule set over the same document in CI.
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';

type Operation = { operationId?: string; security?: unknown[]; responses?: Record<string, unknown> };

describe('/openapi.json', () => {
  it('names every operation once, states its security and documents a 4xx', async () => {
    const app = createApp({ config: loadConfig({ DATA_DIR: '/nonexistent', PUBLIC_URL: 'https://gateway.test' }), logger: createLogger('silent'), services: () => undefined });
    const doc = (await (await app.request('/openapi.json')).json()) as { info: { license?: unknown }; paths: Record<string, Record<string, Operation>> };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.length).toBeGreaterThan(70);
    const ids = operations.map((o) => o.op.operationId);
    expect(operations.filter((o) => !o.op.operationId).map((o) => o.at)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[a-z][A-Za-z0-9]+$/.test(id!))).toBe(true);
    expect(operations.filter((o) => !Array.isArray(o.op.security)).map((o) => o.at)).toEqual([]);
    expect(operations.filter((o) => !Object.keys(o.op.responses ?? {}).some((s) => s.startsWith('4'))).map((o) => o.at)).toEqual([]);
    // public data and discovery are public; staff and operator routes need a token
    const securityOf = (at: string) => operations.find((o) => o.at === at)!.op.security;
    expect(securityOf('GET /open/datasets')).toEqual([]);
    expect(securityOf('GET /.well-known/oauth-authorization-server')).toEqual([]);
    expect(securityOf('GET /security/operators')).toEqual([{ bearerAuth: [] }]);
    expect(doc.info.license).toBeDefined();
  });
});
