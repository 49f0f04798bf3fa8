import { measure } from '../bench/harness.ts';
import { printTable } from '../bench/table.ts';
import { cryptoScoringGroup } from '../bench/groups/crypto-scoring.ts';
const { cases, cleanup } = await cryptoScoringGroup.setup({ runs: 5, scale: 1, postgresUrl: undefined, progress: (m) => process.stderr.write(`  … ${m}\n`) });
const results = [];
for (const c of cases) results.push(await measure('crypto', c, 5));
await cleanup();
printTable(results);
for (const r of results) console.log(r.name, (1000 / r.value).toFixed(1), 'ms; plaintext', (1000 / r.baseline).toFixed(3), 'ms; ratio', (r.baseline / r.value).toFixed(0));
