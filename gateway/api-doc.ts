// docs/API.md's route index, generated from the OpenAPI document so the written contract cannot drift from the code.
import { createApp, type App } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

const BEGIN = '<!-- route-index:begin -->';
const END = '<!-- route-index:end -->';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface OpenApiDocument {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], { summary?: string; tags?: string[]; security?: unknown[]; operationId?: string }>>>;
}

/**
 * The app with every optional route registered (federation routes exist only on a configured node; the identity is
 * built on first use, so placeholders do here), and no database: what the document describes.
 */
export function documentedApp(): App {
  const config = loadConfig({ NODE_ID: 'documentation', FEDERATION_KEY: '{"kty":"EC"}', FEDERATION_PEERS: '[]' });
  return createApp({ config, logger: createLogger('silent'), services: () => undefined });
}

/** The OpenAPI document the app serves at /openapi.json. */
export async function openApiOf(app: App): Promise<OpenApiDocument> {
  return (await (await app.request('/openapi.json')).json()) as OpenApiDocument;
}

/** One Markdown table per tag: method, path, who may call it, what it does. */
export function renderRouteIndex(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const path of Object.keys(doc.paths).sort()) {
    for (const method of METHODS) {
      const op = doc.paths[path]![method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      const who = op.security?.length ? 'bearer' : 'public';
      const summary = (op.summary ?? '').replaceAll('|', '\\|');
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push(`| ${method.toUpperCase()} | \`${path}\` | ${who} | ${summary} |`);
    }
  }
  return [...byTag.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tag, rows]) => `### ${tag}\n\n| method | path | auth | what |\n|---|---|---|---|\n${rows.join('\n')}\n`)
    .join('\n');
}

/** `markdown` with its route index replaced by `index`. Throws TypeError when the markers are missing. */
export function withRouteIndex(markdown: string, index: string): string {
  const begin = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (begin < 0 || end < begin) throw new TypeError(`the document has no ${BEGIN} … ${END} section`);
  return `${markdown.slice(0, begin + BEGIN.length)}\n${index}${markdown.slice(end)}`;
}

/** The route index currently written in `markdown`. */
export function routeIndexOf(markdown: string): string {
  const begin = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  return begin < 0 || end < begin ? '' : markdown.slice(begin + BEGIN.length + 1, end);
}
