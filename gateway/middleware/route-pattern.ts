// The route a request was for, as its pattern (`/steward/datasets/:code`), never its URL: paths hold identifiers and
// queries hold search text. Decided by the routes that matched, not by where the request stopped: a request refused
// by a middleware (a 429 of the per-principal limit, a 400 at the edge, a 401) is named after its route all the same.
import type { Context } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';

export function routePattern(c: Context): string {
  // middleware is registered for every method ('ALL'); the last route with a method of its own is the endpoint
  const endpoint = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
  return endpoint?.path ?? routePath(c);
}
