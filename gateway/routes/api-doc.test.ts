// docs/API.md cannot drift from the code: its route index is what /openapi.json generates, and every route its prose
// names (`GET /open/datasets`, `POST /security/operators/{id}/status`, …) is served by the app.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentedApp, openApiOf, renderRouteIndex, routeIndexOf } from '../api-doc.ts';

const markdown = readFileSync(new URL('../../docs/API.md', import.meta.url), 'utf8');
const app = documentedApp();

/** `/operator/jobs/{id}` or `/operator/jobs/:id` → one pattern; `*` (sub-apps, pages) matches the rest. */
const toPattern = (path: string) => new RegExp(`^${path.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}|:[A-Za-z_]+/g, '[^/]+').replace(/\/\*$/, '(/.*)?')}$`);

describe('docs/API.md', () => {
  it('has the route index /openapi.json generates (run `npm run -s docs:api` after changing routes)', async () => {
    expect(routeIndexOf(markdown)).toBe(renderRouteIndex(await openApiOf(app)));
  });

  it('names only routes the app serves', async () => {
    const prose = markdown.slice(0, markdown.indexOf('<!-- route-index:begin -->'));
    const named = [...prose.matchAll(/\b(GET|POST|PUT|PATCH|DELETE) `?(\/[A-Za-z0-9_.\-/{}:]+)/g)].map((m) => ({ method: m[1]!, path: m[2]!.replace(/\/$/, '') }));
    expect(named.length).toBeGreaterThan(60);
    const served = app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, pattern: toPattern(r.path) }));
    const missing = named.filter(({ method, path }) => !served.some((r) => r.method === method && r.pattern.test(path.replace(/\{[^}]+\}/g, 'x'))));
    expect(missing).toEqual([]);
  });

  it('catches a route that is not served (the check can fail)', () => {
    const served = app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, pattern: toPattern(r.path) }));
    expect(served.some((r) => r.method === 'GET' && r.pattern.test('/operator/no-such-thing'))).toBe(false);
    expect(served.some((r) => r.method === 'GET' && r.pattern.test('/operator/jobs/x'))).toBe(true);
  });
});
