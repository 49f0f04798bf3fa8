// `npm run bench [-- --only <group>] [--json] [--runs N] [--scale X]`: medians against same-run baselines.
import { parseArgs } from 'node:util';
import { measure, type BenchGroup, type BenchResult } from './harness.ts';
import { printTable } from './table.ts';
import { auditGroup } from './groups/audit.ts';
import { authorizationGroup } from './groups/authorization.ts';
import { cryptoPaillierSecaggGroup } from './groups/crypto-paillier-secagg.ts';
import { cryptoSealGroup } from './groups/crypto-seal.ts';
import { cryptoScoringGroup } from './groups/crypto-scoring.ts';
import { cryptoPsiGroup } from './groups/crypto-psi.ts';
import { gatewayGroup } from './groups/gateway.ts';
import { maskingGroup } from './groups/masking.ts';
import { openDataCatalogGroup } from './groups/open-data-catalog.ts';
import { openDataDownloadsGroup } from './groups/open-data-downloads.ts';
import { sandboxExecutionGroup } from './groups/sandbox-execution.ts';
import { sandboxGroup } from './groups/sandbox.ts';
import { scaleGroup } from './groups/scale.ts';
import { storageGroup } from './groups/storage.ts';

const GROUPS: BenchGroup[] = [storageGroup, gatewayGroup, authorizationGroup, auditGroup, maskingGroup, sandboxExecutionGroup, sandboxGroup, cryptoPaillierSecaggGroup, cryptoSealGroup, cryptoScoringGroup, cryptoPsiGroup, openDataCatalogGroup, openDataDownloadsGroup, scaleGroup];

/** `--scale 1m,10m,30m` (k and m suffixes, comma-separated): row counts for the `scale` group; a bare number is a factor. */
function rowSizes(value: string): number[] | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) return undefined;
  const sizes = value.split(',').map((part) => {
    const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(part.trim());
    if (!m) fail(`--scale: "${part}" is neither a factor nor a row count such as 1m or 500k`);
    const rows = Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'm' ? 1e6 : m[2] ? 1e3 : 1));
    if (rows < 1000 || rows > 100e6) fail('--scale: row counts go from 1k to 100m');
    return rows;
  });
  return sizes;
}

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        only: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        runs: { type: 'string', default: '5' },
        scale: { type: 'string', default: '1' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(
      `usage: npm run bench -- [--only <group>]... [--json] [--runs N] [--scale X | --scale 1m,10m]\ngroups: ${GROUPS.map((g) => g.name).join(', ')}\n` +
        'BENCH_DATABASE_URL=postgres://... adds PostgreSQL cases (CI starts a server for them).\n' +
        '--scale X multiplies every group\'s sizes; --scale 1m,10m gives the scale group its row counts (others run at 1).\n',
    );
    return;
  }
  const runs = Number(values.runs);
  const sizes = rowSizes(values.scale);
  const scale = sizes ? 1 : Number(values.scale);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) fail('--runs must be an integer from 1 to 50');
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10) fail('--scale must be a factor in (0, 10] or row counts such as 1m,10m');
  const unknown = (values.only ?? []).filter((n) => !GROUPS.some((g) => g.name === n));
  if (unknown.length) fail(`unknown group ${unknown.join(', ')}; groups: ${GROUPS.map((g) => g.name).join(', ')}`);
  const selected = values.only ? GROUPS.filter((g) => values.only!.includes(g.name)) : GROUPS;

  const progress = (message: string) => process.stderr.write(`  … ${message}\n`);
  const results: BenchResult[] = [];
  for (const group of selected) {
    progress(`group ${group.name}: preparing`);
    const { cases, cleanup } = await group.setup({ runs, scale, sizes, postgresUrl: process.env.BENCH_DATABASE_URL, progress });
    try {
      for (const c of cases) {
        progress(`${group.name} / ${c.name} (${c.runs ?? runs} runs)`);
        const result = await measure(group.name, c, runs);
        results.push(result);
        if (values.json) {
          const { group: g, name, unit, value, baseline, baselineName, ratio } = result;
          process.stdout.write(`${JSON.stringify({ group: g, name, unit, value, baseline, baselineName, ratio, runs: result.runs })}\n`);
        }
      }
    } finally {
      await cleanup();
    }
  }
  if (!values.json) printTable(results);
}

main().catch((err: unknown) => fail((err as Error).message));
