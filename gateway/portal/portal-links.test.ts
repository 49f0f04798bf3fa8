// No dead links: crawl the portal from each of its pages (Chinese and English), follow every internal link (href and
// src), and require an answer below 400 for all of them — and that a link's #fragment exists on the page it points
// to. Links out of the portal (/open/…, /docs, /api/…) are fetched too, not parsed. (Forms have tests of their own.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../testing/test-gateway.ts';
import { createPortalGateway, PORTAL_SEEDS, PRIORITY_YEAR } from './testing.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createPortalGateway();
}, 60_000);
afterAll(() => gw?.close());

const ORIGIN = 'http://gateway.test';
const MAX_PAGES = 600;

const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** Internal targets of a page: hrefs and srcs, resolved against it; fragments kept. */
function linksOf(html: string, at: string): URL[] {
  const raw = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
  return raw
    .map((r) => new URL(unescape(r), new URL(at, ORIGIN)))
    .filter((u) => u.origin === ORIGIN && (u.protocol === 'http:' || u.protocol === 'https:'));
}

async function crawl(cookie: string): Promise<{ visited: Map<string, number>; dead: string[]; missingFragments: string[] }> {
  const visited = new Map<string, number>();
  const pages = new Map<string, string>();
  const dead: string[] = [];
  const fragments: { from: string; to: string; id: string }[] = [];
  const queue: { url: string; from: string }[] = PORTAL_SEEDS.map((url) => ({ url, from: '(seed)' }));
  while (queue.length > 0 && visited.size < MAX_PAGES) {
    const { url, from } = queue.shift()!;
    if (visited.has(url)) continue;
    // follow redirects (the language switch, /) by hand, so a dead target behind one is seen
    let res = await gw.app.request(url, { headers: { cookie } });
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 5; hops++) {
      res = await gw.app.request(res.headers.get('location')!, { headers: { cookie } });
    }
    visited.set(url, res.status);
    if (res.status >= 400) {
      dead.push(`${url} (${res.status}) linked from ${from}`);
      continue;
    }
    const path = new URL(url, ORIGIN).pathname;
    if (!path.startsWith('/portal/') && path !== '/') {
      await res.arrayBuffer();
      continue;
    }
    const html = await res.text();
    pages.set(url, html);
    for (const link of linksOf(html, url)) {
      const target = link.pathname + link.search;
      if (link.hash) fragments.push({ from: url, to: target, id: decodeURIComponent(link.hash.slice(1)) });
      // downloads are links too: fetched once each (they stream whole files), never parsed
      if (!visited.has(target)) queue.push({ url: target, from: url });
    }
  }
  expect(queue.length, `more than ${MAX_PAGES} pages: the crawl stopped early`).toBe(0);
  const missingFragments = fragments
    .filter((f) => pages.has(f.to) && !new RegExp(`\\sid="${f.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(pages.get(f.to)!))
    .map((f) => `#${f.id} on ${f.to} (linked from ${f.from})`);
  return { visited, dead, missingFragments };
}

describe('portal links', () => {
  it('every internal link of every page answers, in Chinese and in English', async () => {
    for (const cookie of ['portal_lang=zh', 'portal_lang=en']) {
      const { visited, dead, missingFragments } = await crawl(cookie);
      expect(dead, cookie).toEqual([]);
      expect(missingFragments, cookie).toEqual([]);
      // the crawl really went everywhere: dataset pages, a year, the comparison, downloads and the API's exports
      const urls = [...visited.keys()];
      for (const reached of ['/portal/datasets/enterprise_registry', '/portal/datasets/legal_persons', '/open/datasets/enterprise_registry/download?format=csv', `/open/priority-lists/${PRIORITY_YEAR}?format=xlsx`, '/docs']) {
        expect(urls, reached).toContain(reached);
      }
      expect(urls.filter((u) => u.startsWith('/portal/')).length).toBeGreaterThan(40);
      // a not_open dataset named by a list item is never linked (it has no page)
      expect(urls).not.toContain('/portal/datasets/health_visits');
    }
  }, 180_000);
});
