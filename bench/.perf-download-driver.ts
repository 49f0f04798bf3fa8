// temporary profiling driver (removed before report)
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { planDownloadVerb, streamDownload, type VerbContext } from '../catalog-open/index.ts';
import { maskedBatches } from '../catalog-open/downloads/stream-download.ts';
import { DATASETS, generatedCsv } from '../data/index.ts';
import { createAuthorizer, parsePolicySet, publicEntity } from '../policies/index.ts';
import { createTestDatabase, loadDataset, registerDataset, scanTable, type Database } from '../store/index.ts';
const rows = Number(process.env.N ?? 200000);
const csvFile = `/tmp/perf-mask/population-${rows}.csv`;
if (!existsSync(csvFile)) await pipeline(generatedCsv('population', rows, 'bench'), createWriteStream(csvFile));
const doc = JSON.parse(await readFile(new URL('../policies/datasets/population.json', import.meta.url), 'utf8'));
for (const f of Object.values(doc.fields) as any[]) f.open_download = { ...(f.sandbox ?? { mask: 'raw' }), justification: 'bench only: x' };
const policies = parsePolicySet([{ source: 'population.json', content: doc }]);
const db = await createTestDatabase({ adminUrl: process.env.PG });
const database: Database = db.database;
await registerDataset(database.db, { ...DATASETS.population.definition, openType: 'unconditional' });
await loadDataset(database, { code: 'population', format: 'csv', body: createReadStream(csvFile), loadedBy: 'bench', versionsKept: 1 });
const authorizer = createAuthorizer();
const ask = (q: any) => authorizer.authorize({ ...q, principal: publicEntity() } as never).decision === 'allow';
const ctx: VerbContext = { actor: { type: 'public' }, database, requestId: null, ip: null, async authorize() {}, async authorizeEach(qs) { return qs.map(ask); } } as VerbContext;
const plan = await planDownloadVerb(ctx, policies, { code: 'population', format: 'csv', filters: {} }, { pseudonymKey: new Uint8Array(32).fill(7), pseudonymKeyId: 'b', asOf: '2026-01-01' });
if (process.env.PAGES) (plan as any).scan = { ...plan.scan, batchPages: Number(process.env.PAGES) };
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const mode = process.env.MODE ?? 'all';
import { Session } from 'node:inspector/promises';
const session = new Session(); session.connect();
if (process.env.PROF) { await session.post('Profiler.enable'); await session.post('Profiler.start'); }
for (let rep = 0; rep < Number(process.env.REPS ?? 3); rep++) {
  let t0 = cpu(), w0 = performance.now();
  let n = 0;
  for await (const b of scanTable(database, plan.scan)) n += b.length;
  const scan = cpu() - t0;
  t0 = cpu();
  for await (const b of maskedBatches(database, plan)) n += b.length;
  const masked = cpu() - t0;
  t0 = cpu(); w0 = performance.now();
  let bytes = 0;
  for await (const c of streamDownload(database, plan)) bytes += c.length;
  const all = cpu() - t0, wall = performance.now() - w0;
  console.log(`scan ${scan.toFixed(0)}ms cpu, scan+mask ${masked.toFixed(0)}ms, full csv ${all.toFixed(0)}ms cpu ${wall.toFixed(0)}ms wall, ${(bytes/1e6).toFixed(1)}MB ${mode}`);
}
if (process.env.PROF) { const { profile } = await session.post('Profiler.stop'); (await import('node:fs')).writeFileSync(process.env.PROF, JSON.stringify(profile)); }
if (process.env.DUMP) { const chunks: Buffer[] = []; for await (const c of streamDownload(database, plan)) chunks.push(Buffer.from(c)); (await import('node:fs')).writeFileSync(process.env.DUMP, Buffer.concat(chunks)); }
await db.drop();
