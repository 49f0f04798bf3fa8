// temporary runner (removed before report): only the two groups this task measures, so others' work in progress
// elsewhere in bench/run.ts's imports cannot break it.
import { measure } from './harness.ts';
import { printTable } from './table.ts';
import { maskingGroup } from './groups/masking.ts';
import { openDataDownloadsGroup } from './groups/open-data-downloads.ts';
const scale = Number(process.env.SCALE ?? 0.2);
const runs = Number(process.env.RUNS ?? 3);
const progress = (m: string) => process.stderr.write(`  … ${m}\n`);
const results = [];
for (const group of [maskingGroup, openDataDownloadsGroup].filter((g) => (process.env.ONLY ?? g.name) === g.name)) {
  const { cases, cleanup } = await group.setup({ runs, scale, postgresUrl: process.env.BENCH_DATABASE_URL, progress });
  try { for (const c of cases) results.push(await measure(group.name, c, runs)); } finally { await cleanup(); }
}
printTable(results);
