// Named fakes for the authorization tests and benchmark: staff, operators with licences, datasets, jobs and
// applications whose departments and open attributes follow the bundled datasets (data/datasets/), at a fixed time.
import {
  applicationEntity,
  datasetEntity,
  feedbackEntity,
  fieldEntity,
  jobEntity,
  operatorEntity,
  priorityListEntity,
  staffEntity,
} from './entities.ts';
import type { DatasetInput, LicenseInput } from './types.ts';

/** The fixed "now" of every fixture: mid-2025. */
export const NOW = new Date('2025-06-01T00:00:00Z');

export const POLICE = '省公安厅';
export const HEALTH = '省卫生健康委员会';
export const MARKET = '省市场监督管理局';
export const DEVELOPMENT = '省发展和改革委员会';

export const DATASETS = {
  population: { code: 'population', department: POLICE, openType: 'not_open', grade: 'important' },
  healthVisits: { code: 'health_visits', department: HEALTH, openType: 'not_open', grade: 'important' },
  creditDishonest: { code: 'credit_dishonest', department: DEVELOPMENT, openType: 'unconditional', grade: 'general' },
  legalPersons: { code: 'legal_persons', department: MARKET, openType: 'conditional', grade: 'general' },
  /** made up: core data wrongly marked open, to show the core forbid holds on its own */
  gridTopology: { code: 'grid_topology', department: DEVELOPMENT, openType: 'unconditional', grade: 'core' },
} as const satisfies Record<string, DatasetInput>;

export const dataset = {
  population: datasetEntity(DATASETS.population),
  healthVisits: datasetEntity(DATASETS.healthVisits),
  creditDishonest: datasetEntity(DATASETS.creditDishonest),
  legalPersons: datasetEntity(DATASETS.legalPersons),
  gridTopology: datasetEntity(DATASETS.gridTopology),
};

export const staff = {
  security: staffEntity({ id: 'sec-1', role: 'security', department: null }),
  policeSteward: staffEntity({ id: 'stw-police', role: 'steward', department: POLICE }),
  healthSteward: staffEntity({ id: 'stw-health', role: 'steward', department: HEALTH }),
  marketSteward: staffEntity({ id: 'stw-market', role: 'steward', department: MARKET }),
  /** a steward bound to no department: steward of all */
  chiefSteward: staffEntity({ id: 'stw-all', role: 'steward', department: null }),
};

const at = (iso: string) => new Date(iso);

/** population: birth_date and region_code, for aggregates only; valid through 2025. */
export const LICENSE_POPULATION: LicenseInput = {
  id: 'lic-pop',
  status: 'active',
  validFrom: at('2025-01-01T00:00:00Z'),
  validTo: at('2026-01-01T00:00:00Z'),
  datasets: [{ code: 'population', fields: ['birth_date', 'region_code'], operations: ['aggregate'] }],
};
export const LICENSE_EXPIRED: LicenseInput = { ...LICENSE_POPULATION, id: 'lic-expired', validTo: at('2025-03-01T00:00:00Z') };
export const LICENSE_FUTURE: LicenseInput = { ...LICENSE_POPULATION, id: 'lic-future', validFrom: at('2025-09-01T00:00:00Z') };
export const LICENSE_REVOKED: LicenseInput = { ...LICENSE_POPULATION, id: 'lic-revoked', status: 'revoked' };
/** held by another operator */
export const LICENSE_OTHER: LicenseInput = { ...LICENSE_POPULATION, id: 'lic-other' };

const POPULATION_LICENSES = [LICENSE_POPULATION, LICENSE_EXPIRED, LICENSE_FUTURE, LICENSE_REVOKED];

export const operator = {
  active: operatorEntity({ id: 'op-active', status: 'active' }, POPULATION_LICENSES),
  suspended: operatorEntity({ id: 'op-suspended', status: 'suspended' }, [{ ...LICENSE_POPULATION, id: 'lic-s' }]),
  revoked: operatorEntity({ id: 'op-revoked', status: 'revoked' }, [{ ...LICENSE_POPULATION, id: 'lic-r' }]),
  other: operatorEntity({ id: 'op-other', status: 'active' }, [LICENSE_OTHER]),
};

export const job = {
  /** op-active's job reading population */
  population: jobEntity({ id: 'job-1', operatorId: 'op-active', licenseId: 'lic-pop', departments: [POLICE] }),
};

export const application = {
  approved: applicationEntity({ id: 'app-1', department: MARKET, datasetCode: 'legal_persons', status: 'approved' }),
  pending: applicationEntity({ id: 'app-2', department: MARKET, datasetCode: 'legal_persons', status: 'pending' }),
  expired: applicationEntity({
    id: 'app-3',
    department: MARKET,
    datasetCode: 'legal_persons',
    status: 'approved',
    expiresAt: at('2025-05-01T00:00:00Z'),
  }),
  /** approved by mistake for a dataset that is not open */
  forNotOpen: applicationEntity({ id: 'app-4', department: POLICE, datasetCode: 'population', status: 'approved' }),
};

export const field = {
  creditName: fieldEntity(DATASETS.creditDishonest, { name: 'entity_name', sensitivity: 'none', masked: false }),
  /** made up: a resident id column the bundled dataset does not have, to exercise the sensitive-personal forbid */
  creditIdRaw: fieldEntity(DATASETS.creditDishonest, { name: 'debtor_resident_id', sensitivity: 'sensitive_personal', masked: false }),
  creditIdMasked: fieldEntity(DATASETS.creditDishonest, { name: 'debtor_resident_id', sensitivity: 'sensitive_personal', masked: true }),
  gridNode: fieldEntity(DATASETS.gridTopology, { name: 'node_id', sensitivity: 'none', masked: false }),
  populationSex: fieldEntity(DATASETS.population, { name: 'sex', sensitivity: 'personal', masked: false }),
  legalName: fieldEntity(DATASETS.legalPersons, { name: 'name', sensitivity: 'none', masked: false }),
};

export const priorityList = {
  police2025: priorityListEntity({ id: `2025/${POLICE}`, department: POLICE }),
};

export const feedback = {
  market: feedbackEntity({ id: 'fb-1', department: MARKET }),
};
