// The decision matrix: who may do what, case by case, with the policies that decide it. decision-matrix.test.ts
// pins it (every action and every policy appears); the authorization benchmark replays it as its workload. Cases are
// decided at fixtures.NOW: give the authorizer that clock.
import {
  AUDIT_LOG_RESOURCE,
  ALERT_QUEUE_RESOURCE,
  encryptedRoundEntity,
  publicEntity,
  staffEntity,
  systemEntity,
  WHITELIST_RESOURCE,
} from './entities.ts';
import {
  application,
  dataset,
  feedback,
  field,
  job,
  HEALTH,
  LICENSE_POPULATION,
  MARKET,
  operator,
  POLICE,
  priorityList,
  staff,
} from './fixtures.ts';
import type { AuthorizationRequest } from './types.ts';

export interface MatrixCase {
  name: string;
  request: AuthorizationRequest;
  decision: 'allow' | 'deny';
  /** the determining policies; empty for a deny = no permit applied */
  policies: string[];
}

const allow = (name: string, request: AuthorizationRequest, ...policies: string[]): MatrixCase => ({ name, request, decision: 'allow', policies });
const deny = (name: string, request: AuthorizationRequest, ...policies: string[]): MatrixCase => ({ name, request, decision: 'deny', policies });

const job1 = { license: 'lic-pop', fields: ['birth_date', 'region_code'], operations: ['aggregate'] } as const;
const submit = (context: Partial<{ license: string; fields: readonly string[]; operations: readonly ('aggregate' | 'model')[]; now: Date }>) =>
  ({ principal: operator.active, action: 'SubmitJob', resource: dataset.population, context: { ...job1, ...context } }) as const;
const second = (s: number) => new Date(s * 1000);

// encrypted statistics: a round under custodian cus-1's key, open to the police and health departments
const custodian = staffEntity({ id: 'cus-1', role: 'custodian', department: null });
const otherCustodian = staffEntity({ id: 'cus-2', role: 'custodian', department: null });
const round = encryptedRoundEntity({ id: 'round-1', custodianId: 'cus-1', departments: [POLICE, HEALTH, MARKET].slice(0, 2) });
const roundFor = (custodianId: string) => encryptedRoundEntity({ id: 'round-new', custodianId, departments: [POLICE, HEALTH, MARKET] });
const three = { contributions: 3 };

export const MATRIX: readonly MatrixCase[] = [
  // security staff
  allow('security manages the whitelist', { principal: staff.security, action: 'ManageWhitelist', resource: WHITELIST_RESOURCE }, 'security-manages-whitelist'),
  deny('a steward may not manage the whitelist', { principal: staff.policeSteward, action: 'ManageWhitelist', resource: WHITELIST_RESOURCE }),
  deny('nor may a steward of all departments', { principal: staff.chiefSteward, action: 'ManageWhitelist', resource: WHITELIST_RESOURCE }),
  allow('security reads the audit log', { principal: staff.security, action: 'ReadAudit', resource: AUDIT_LOG_RESOURCE }, 'security-reads-audit'),
  deny('a steward may not read the audit log', { principal: staff.chiefSteward, action: 'ReadAudit', resource: AUDIT_LOG_RESOURCE }),
  allow('security handles alerts', { principal: staff.security, action: 'ManageAlerts', resource: ALERT_QUEUE_RESOURCE }, 'security-manages-alerts'),
  deny('a steward may not handle alerts', { principal: staff.policeSteward, action: 'ManageAlerts', resource: ALERT_QUEUE_RESOURCE }),

  // stewards, by department
  allow('公安厅 steward manages a 公安厅 dataset', { principal: staff.policeSteward, action: 'ManageDataset', resource: dataset.population }, 'steward-manages-department-datasets'),
  deny('公安厅 steward may not manage a 卫健委 dataset', { principal: staff.policeSteward, action: 'ManageDataset', resource: dataset.healthVisits }),
  allow('a steward of all departments manages any dataset', { principal: staff.chiefSteward, action: 'ManageDataset', resource: dataset.healthVisits }, 'steward-manages-department-datasets'),
  deny('security may not manage datasets', { principal: staff.security, action: 'ManageDataset', resource: dataset.population }),
  allow('the system seeds datasets', { principal: systemEntity('demo-seed'), action: 'ManageDataset', resource: dataset.population }, 'system-manages-datasets'),
  allow('the system seeds the demo operator', { principal: systemEntity('demo-seed'), action: 'ManageWhitelist', resource: WHITELIST_RESOURCE }, 'system-seeds-demo-whitelist'),
  allow('公安厅 steward publishes the 公安厅 priority list', { principal: staff.policeSteward, action: 'PublishPriorityList', resource: priorityList.police2025 }, 'steward-publishes-department-priority-list'),
  deny('卫健委 steward may not publish the 公安厅 list', { principal: staff.healthSteward, action: 'PublishPriorityList', resource: priorityList.police2025 }),
  deny('security may not publish a priority list', { principal: staff.security, action: 'PublishPriorityList', resource: priorityList.police2025 }),
  allow('市场监管 steward decides an application for its dataset', { principal: staff.marketSteward, action: 'ApproveApplication', resource: application.pending }, 'steward-decides-department-applications'),
  deny('公安厅 steward may not decide it', { principal: staff.policeSteward, action: 'ApproveApplication', resource: application.pending }),
  allow('市场监管 steward replies to feedback on its data', { principal: staff.marketSteward, action: 'ReplyFeedback', resource: feedback.market }, 'steward-replies-department-feedback'),
  deny('卫健委 steward may not reply to it', { principal: staff.healthSteward, action: 'ReplyFeedback', resource: feedback.market }),
  allow('公安厅 steward reviews a job reading 公安厅 data', { principal: staff.policeSteward, action: 'ReviewJob', resource: job.population }, 'steward-reviews-department-jobs'),
  deny('卫健委 steward may not review it', { principal: staff.healthSteward, action: 'ReviewJob', resource: job.population }),
  deny(
    'a steward may not review their own submission',
    { principal: staff.chiefSteward, action: 'ReviewJob', resource: job.population, context: { submittedBy: 'stw-all' } },
    'no-review-of-own-submission',
  ),
  allow(
    'but may review one another steward submitted',
    { principal: staff.chiefSteward, action: 'ReviewJob', resource: job.population, context: { submittedBy: 'stw-police' } },
    'steward-reviews-department-jobs',
  ),
  deny('security may not review jobs', { principal: staff.security, action: 'ReviewJob', resource: job.population }),

  // dataset schemas
  allow('security reads a dataset schema', { principal: staff.security, action: 'ReadDatasetSchema', resource: dataset.healthVisits }, 'staff-reads-dataset-schema'),
  allow('a steward reads another department’s dataset schema', { principal: staff.policeSteward, action: 'ReadDatasetSchema', resource: dataset.healthVisits }, 'staff-reads-dataset-schema'),
  allow(
    'an operator reads the schema of a licensed dataset',
    { principal: operator.active, action: 'ReadDatasetSchema', resource: dataset.population, context: { license: 'lic-pop' } },
    'operator-reads-licensed-schema',
  ),
  deny('not of a dataset its licence does not name', { principal: operator.active, action: 'ReadDatasetSchema', resource: dataset.healthVisits, context: { license: 'lic-pop' } }),
  deny('nor without naming a licence', { principal: operator.active, action: 'ReadDatasetSchema', resource: dataset.population }),
  deny(
    'nor under an expired licence',
    { principal: operator.active, action: 'ReadDatasetSchema', resource: dataset.population, context: { license: 'lic-expired' } },
    'license-outside-validity',
  ),
  deny(
    'nor when suspended',
    { principal: operator.suspended, action: 'ReadDatasetSchema', resource: dataset.population, context: { license: 'lic-s' } },
    'operator-not-active',
  ),

  // job submission
  allow('an operator submits a job within its licence', submit({}), 'operator-submits-licensed-job'),
  allow('reading a subset of the licensed fields', submit({ fields: ['region_code'] }), 'operator-submits-licensed-job'),
  deny('not reading an unlicensed field (annual_income)', submit({ fields: ['birth_date', 'annual_income'] }), 'job-outside-license'),
  deny('not performing an unlicensed operation (model)', submit({ operations: ['aggregate', 'model'] }), 'job-outside-license'),
  deny('not naming no operation', submit({ operations: [] }), 'job-without-operation'),
  deny(
    'not on a dataset the licence does not name',
    { ...submit({}), resource: dataset.healthVisits },
    'job-outside-license',
  ),
  deny('not under an expired licence', submit({ license: 'lic-expired' }), 'license-outside-validity'),
  deny('not under a licence not yet valid', submit({ license: 'lic-future' }), 'license-outside-validity'),
  allow('valid from the first second of validFrom', submit({ now: LICENSE_POPULATION.validFrom }), 'operator-submits-licensed-job'),
  deny('and no longer at validTo', submit({ now: LICENSE_POPULATION.validTo }), 'license-outside-validity'),
  allow('but one second before it', submit({ now: second(LICENSE_POPULATION.validTo.getTime() / 1000 - 1) }), 'operator-submits-licensed-job'),
  deny('not under a revoked licence', submit({ license: 'lic-revoked' }), 'license-not-active'),
  deny(
    'not under another operator’s licence',
    { ...submit({ license: 'lic-other' }), entities: operator.other.entities.slice(1) },
    'license-of-another-operator',
  ),
  deny('a suspended operator submits nothing', { ...submit({ license: 'lic-s' }), principal: operator.suspended }, 'operator-not-active'),
  deny('a revoked operator submits nothing', { ...submit({ license: 'lic-r' }), principal: operator.revoked }, 'operator-not-active'),

  // jobs
  allow('an operator reads its own job', { principal: operator.active, action: 'ReadJob', resource: job.population }, 'operator-reads-own-job'),
  deny('not another operator’s job', { principal: operator.other, action: 'ReadJob', resource: job.population }),

  // open data
  allow('the public downloads an unconditional general dataset', { principal: publicEntity(), action: 'DownloadDataset', resource: dataset.creditDishonest }, 'public-downloads-unconditional'),
  deny('not a conditional one', { principal: publicEntity(), action: 'DownloadDataset', resource: dataset.legalPersons }),
  deny('not a not_open one', { principal: publicEntity(), action: 'DownloadDataset', resource: dataset.population }, 'not-open-never-downloaded'),
  deny('not core data, even marked open', { principal: publicEntity(), action: 'DownloadDataset', resource: dataset.gridTopology }, 'core-never-downloaded'),
  allow(
    'an approved application downloads its conditional dataset',
    { principal: application.approved, action: 'DownloadDataset', resource: dataset.legalPersons },
    'applicant-downloads-conditional',
  ),
  deny('not another dataset', { principal: application.approved, action: 'DownloadDataset', resource: dataset.creditDishonest }),
  deny('a pending application downloads nothing', { principal: application.pending, action: 'DownloadDataset', resource: dataset.legalPersons }, 'application-not-approved'),
  deny('an expired one neither', { principal: application.expired, action: 'DownloadDataset', resource: dataset.legalPersons }, 'application-expired'),
  deny('an approval never opens not_open data', { principal: application.forNotOpen, action: 'DownloadDataset', resource: dataset.population }, 'not-open-never-downloaded'),
  allow('the public downloads a field of an open dataset', { principal: publicEntity(), action: 'DownloadField', resource: field.creditName }, 'public-downloads-unconditional-field'),
  deny('not a sensitive personal field unmasked', { principal: publicEntity(), action: 'DownloadField', resource: field.creditIdRaw }, 'sensitive-personal-never-raw'),
  allow('but masked', { principal: publicEntity(), action: 'DownloadField', resource: field.creditIdMasked }, 'public-downloads-unconditional-field'),
  deny('not a field of core data', { principal: publicEntity(), action: 'DownloadField', resource: field.gridNode }, 'core-field-never-downloaded'),
  deny('not a field of not_open data', { principal: publicEntity(), action: 'DownloadField', resource: field.populationSex }, 'not-open-field-never-downloaded'),
  allow(
    'an approved application downloads a field of its dataset',
    { principal: application.approved, action: 'DownloadField', resource: field.legalName },
    'applicant-downloads-conditional-field',
  ),

  // encrypted statistics
  allow('a custodian opens a round under their own key', { principal: custodian, action: 'OpenRound', resource: roundFor('cus-1') }, 'custodian-opens-own-round'),
  deny('not in another custodian’s name', { principal: custodian, action: 'OpenRound', resource: roundFor('cus-2') }),
  deny('a steward opens no round', { principal: staff.chiefSteward, action: 'OpenRound', resource: roundFor('stw-all') }),
  allow('the round’s custodian reads it', { principal: custodian, action: 'ReadRound', resource: round }, 'round-custodian-reads-round'),
  allow('an invited steward reads it', { principal: staff.policeSteward, action: 'ReadRound', resource: round }, 'invited-steward-reads-round'),
  deny('a steward of a department not invited does not', { principal: staff.marketSteward, action: 'ReadRound', resource: round }),
  deny('nor does another custodian', { principal: otherCustodian, action: 'ReadRound', resource: round }),
  allow('an invited steward contributes', { principal: staff.healthSteward, action: 'ContributeEncrypted', resource: round }, 'invited-steward-contributes'),
  deny('a steward of a department not invited does not contribute', { principal: staff.marketSteward, action: 'ContributeEncrypted', resource: round }),
  deny('a steward of all departments speaks for none', { principal: staff.chiefSteward, action: 'ContributeEncrypted', resource: round }),
  deny('the custodian never contributes', { principal: custodian, action: 'ContributeEncrypted', resource: round }),
  allow('the round’s custodian closes it with three contributions', { principal: custodian, action: 'CloseRound', resource: round, context: three }, 'round-custodian-closes-round'),
  deny(
    'not with two',
    { principal: custodian, action: 'CloseRound', resource: round, context: { contributions: 2 } },
    'encrypted-total-needs-three-departments',
  ),
  deny('a steward closes no round', { principal: staff.policeSteward, action: 'CloseRound', resource: round, context: three }),
  allow('the round’s custodian decrypts its total', { principal: custodian, action: 'DecryptTotal', resource: round, context: three }, 'round-custodian-decrypts-total'),
  deny('a steward never decrypts', { principal: staff.policeSteward, action: 'DecryptTotal', resource: round, context: three }),
  deny('nor does security', { principal: staff.security, action: 'DecryptTotal', resource: round, context: three }),
  deny('nor another custodian', { principal: otherCustodian, action: 'DecryptTotal', resource: round, context: three }),
  deny(
    'nor anyone, the total of two departments',
    { principal: custodian, action: 'DecryptTotal', resource: round, context: { contributions: 2 } },
    'encrypted-total-needs-three-departments',
  ),
];

