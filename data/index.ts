// Public API of the data package: checksums, administrative divisions, seeded randomness, synthetic datasets and
// their serialization.

export { isValidResidentId, residentIdBirthDate, residentIdCheckChar, residentIdSex } from './checksums/resident-id.ts';
export { composeUscc, isValidUscc, USCC_CHARSET, usccCheckChar } from './checksums/uscc.ts';
export { isValidOrganizationCode, organizationCodeCheckChar } from './checksums/organization-code.ts';

export {
  cities,
  city,
  cityOfCounty,
  counties,
  county,
  divisionName,
  province,
  provinceOfCounty,
  provinces,
  residentCountyTable,
  streets,
  streetsOfCounty,
} from './divisions.ts';
export type { City, CityKind, County, Province, Street } from './divisions.ts';

export { deriveSeedKey, normalizeSeed, Random, WeightedTable } from './random.ts';
export type { SeedKey } from './random.ts';

export { DATASETS, datasetCodes, isDatasetCode } from './datasets/index.ts';
export type { DatasetCode } from './datasets/index.ts';
export { MAX_ROWS, REFERENCE_YEAR } from './datasets/dataset.ts';
export type { DatasetModule, GenerateOptions } from './datasets/dataset.ts';
export { PopulationModel } from './datasets/population.ts';
export type { Person } from './datasets/population.ts';
export { LegalPersonModel } from './datasets/legal-persons.ts';
export type { EntityCore, LegalEntity } from './datasets/legal-persons.ts';

export {
  csvField,
  csvHeader,
  csvLine,
  isOutputFormat,
  ndjsonLine,
  OUTPUT_FORMATS,
  serializeChunks,
  writeRows,
} from './serialize.ts';
export type { OutputFormat, WriteRowsOptions } from './serialize.ts';
export { generatedCsv, generatedStream } from './streams.ts';
export { DEMO_SEED, demoSizes, seedDemo } from './seed-demo.ts';
export type { SeedOptions } from './seed-demo.ts';
export { ADMIN_DIVISIONS_CODE, adminDivisionRows, adminDivisionsCsv, adminDivisionsDefinition } from './admin-divisions.ts';
