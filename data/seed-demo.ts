// DEMO: registers the five base datasets and loads generated rows into each, once (idempotent).
import { getDataset, loadDataset, registerDataset, type Database, type LoadResult } from '../store/index.ts';
import { DATASETS, datasetCodes, isDatasetCode, type DatasetCode } from './datasets/index.ts';
import { generatedCsv } from './streams.ts';

export const DEMO_SEED = 'demo';

/**
 * Rows per dataset for a given number of residents. The other libraries scale with the population, and the
 * population and firm registers grow where needed so that every linked ID (insurance and visits to residents,
 * dishonest records to firms) is found in them.
 */
export function demoSizes(residents: number, seed: string | number = DEMO_SEED): Record<DatasetCode, number> {
  const sizes: Record<DatasetCode, number> = {
    population: residents,
    legal_persons: Math.max(100, Math.round(residents / 10)),
    social_insurance: residents * 2,
    health_visits: residents,
    credit_dishonest: Math.max(20, Math.round(residents / 1000)),
  };
  for (const code of datasetCodes) {
    const needed = DATASETS[code].linkedRowsNeeded?.({ rows: sizes[code], seed }) ?? {};
    for (const [linked, rows] of Object.entries(needed)) {
      if (isDatasetCode(linked)) sizes[linked] = Math.max(sizes[linked], rows);
    }
  }
  return sizes;
}

export interface SeedOptions {
  residents: number;
  seed?: string;
  onProgress?: (code: DatasetCode, rows: number) => void;
}

/** Returns the loads it made; datasets that already hold data are left alone. */
export async function seedDemo(database: Database, options: SeedOptions): Promise<LoadResult[]> {
  const seed = options.seed ?? DEMO_SEED;
  const sizes = demoSizes(options.residents, seed);
  const loads: LoadResult[] = [];
  for (const code of datasetCodes) {
    const existing = await getDataset(database.db, code).catch(() => undefined);
    if (!existing) await registerDataset(database.db, DATASETS[code].definition);
    if (existing?.currentVersion) continue;
    let reported = 0;
    loads.push(
      await loadDataset(database, {
        code,
        format: 'csv',
        body: generatedCsv(code, sizes[code], seed),
        loadedBy: 'system:demo-seed',
        onProgress: (rows) => {
          if (rows - reported >= 50_000) {
            reported = rows;
            options.onProgress?.(code, rows);
          }
        },
      }),
    );
  }
  return loads;
}
