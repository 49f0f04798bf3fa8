// Downloads from the download thread: the same bytes as on the caller's thread, masks compiled there from the plan's
// rules (pseudonyms and age bands included), and a client that goes away stops the thread's read. On the in-process
// PGlite of the default suite no thread can reach the database, so these tests use the embedded host (PGlite behind
// the wire protocol, as `npm start` runs it); on PostgreSQL they use the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import type { PolicySet } from '../../policies/index.ts';
import { createReachableTestDatabase, loadDataset, registerDataset, type TestDatabase } from '../../store/index.ts';
import type { OutputFormat } from '../formats/index.ts';
import { streamDownloadOffLoop } from './download-off-loop.ts';
import { planDownloadVerb, type DownloadPlan } from './plan-download.ts';
import { streamDownload } from './stream-download.ts';
import { everyMaskDownloadPolicies, publicDownloadContext } from './testing.ts';

const ROWS = 3_000;
const inputs = { pseudonymKey: new Uint8Array(32).fill(9), pseudonymKeyId: 'test', asOf: '2026-06-30' };
let t: TestDatabase;
let policies: PolicySet;

const plan = (format: OutputFormat) => planDownloadVerb(publicDownloadContext(t.database), policies, { code: 'population', format, filters: {} }, inputs);

async function bytesOf(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  t = await createReachableTestDatabase();
  policies = await everyMaskDownloadPolicies('test: every mask in a download');
  await registerDataset(t.database.db, { ...DATASETS.population.definition, openType: 'unconditional' });
  await loadDataset(t.database, { code: 'population', format: 'csv', body: generatedCsv('population', ROWS, 'download-thread'), loadedBy: 'test' });
}, 60_000);
afterAll(() => t.drop());

describe('streamDownloadOffLoop', () => {
  it.each(['csv', 'ndjson'] as const)('writes the same masked %s on the download thread as on this thread', async (format) => {
    const p = await plan(format);
    expect(p.maskRules.map((r) => r.mask)).toContain('pseudonym');
    const places: string[] = [];
    let completed = 0;
    const away = await bytesOf(streamDownloadOffLoop(t.database, p, inputs, async () => void completed++, { smallDownloadRows: 0, onPlace: (x) => places.push(x) }));
    const here = await bytesOf(streamDownload(t.database, p));
    expect(places).toEqual(['download-thread']);
    expect(completed).toBe(1);
    expect(away.length).toBeGreaterThan(ROWS * 20);
    expect(away.equals(here)).toBe(true);
  }, 60_000);

  it('keeps a small download on this thread', async () => {
    const places: string[] = [];
    await bytesOf(streamDownloadOffLoop(t.database, await plan('csv'), inputs, undefined, { onPlace: (x) => places.push(x) }));
    expect(places).toEqual(['here']);
  });

  it('stops the thread when the client goes away, never counts that download, and serves the next one whole', async () => {
    const p: DownloadPlan = { ...(await plan('csv')), scan: { ...(await plan('csv')).scan, batchRows: 100, batchPages: 1 } };
    let completed = 0;
    let chunks = 0;
    for await (const _ of streamDownloadOffLoop(t.database, p, inputs, async () => void completed++, { smallDownloadRows: 0 })) {
      if (++chunks === 2) break;
    }
    expect(completed).toBe(0);
    const whole = await bytesOf(streamDownloadOffLoop(t.database, p, inputs, async () => void completed++, { smallDownloadRows: 0 }));
    expect(whole.equals(await bytesOf(streamDownload(t.database, p)))).toBe(true);
    expect(completed).toBe(1);
  }, 60_000);
});
