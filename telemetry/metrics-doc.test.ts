// docs/operations.md's metrics table is the list of what this process exports: no metric missing, none invented.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry } from './metrics.ts';

describe('the metrics list in docs/operations.md', () => {
  it('names every metric of the registry (Node defaults aside), and only those', async () => {
    const doc = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \| (counter|gauge|histogram) \|/gm)].map((m) => `${m[2]} ${m[1]}`).sort();
    const exported = (await registry.getMetricsAsJSON())
      .filter((m) => !/^(process_|nodejs_)/.test(m.name))
      .map((m) => `${m.type} ${m.name}`)
      .sort();
    expect(documented).toEqual(exported);
  });
});
