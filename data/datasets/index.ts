// Registry of the synthetic datasets, by dataset code.

import { creditDishonest } from './credit-dishonest.ts';
import type { DatasetModule } from './dataset.ts';
import { healthVisits } from './health-visits.ts';
import { legalPersons } from './legal-persons.ts';
import { population } from './population.ts';
import { socialInsurance } from './social-insurance.ts';

export const DATASETS = {
  population,
  legal_persons: legalPersons,
  social_insurance: socialInsurance,
  health_visits: healthVisits,
  credit_dishonest: creditDishonest,
} as const satisfies Record<string, DatasetModule>;

export type DatasetCode = keyof typeof DATASETS;

export const datasetCodes: readonly DatasetCode[] = Object.keys(DATASETS) as DatasetCode[];

export function isDatasetCode(code: string): code is DatasetCode {
  return Object.hasOwn(DATASETS, code);
}
