// A span per verb: every OpenAPI route's handler (validation done, the verb called, its answer mapped) runs inside a
// child of the request span named by its operation, so a trace reads request → verb → database.
import type { App } from '../app.ts';
import { withSpan } from '../../telemetry/index.ts';

type OpenApi = App['openapi'];

/** Call before the routes are registered. */
export function traceVerbs(app: App): void {
  const register = app.openapi.bind(app) as (...args: unknown[]) => App;
  app.openapi = ((route: { method: string; path: string; operationId?: string }, handler: (...a: unknown[]) => unknown, ...rest: unknown[]) => {
    const name = `verb ${route.operationId ?? `${route.method.toUpperCase()} ${route.path}`}`;
    return register(route, (...args: unknown[]) => withSpan(name, {}, async () => handler(...args)), ...rest);
  }) as unknown as OpenApi;
}
