// Builders of the Cedar entities a request carries, from the rows the caller already holds. Plain objects, nothing
// parsed or looked up: a request carries only the few entities its policies read, so building them stays cheap.
import type {
  ApplicationInput,
  CedarEntity,
  CedarValue,
  DatasetInput,
  DepartmentScopedInput,
  EncryptedRoundInput,
  EntityRef,
  EntitySlice,
  FieldInput,
  JobInput,
  LicenseInput,
  Operation,
  OperatorInput,
  StaffInput,
} from './types.ts';

type EnumType =
  | 'Gov::Role'
  | 'Gov::OperatorStatus'
  | 'Gov::LicenseStatus'
  | 'Gov::Operation'
  | 'Gov::OpenType'
  | 'Gov::Grade'
  | 'Gov::Sensitivity'
  | 'Gov::ApplicationStatus';

/** An entity reference as a Cedar value (attribute, tag or context member). */
export function entityValue(ref: EntityRef | { readonly type: EnumType; readonly id: string }): CedarValue {
  return { __entity: { type: ref.type, id: ref.id } };
}

const enumValue = (type: EnumType, id: string): CedarValue => ({ __entity: { type, id } });

/** Operations as Cedar values. */
export function operationValues(operations: Iterable<Operation>): CedarValue[] {
  const out: CedarValue[] = [];
  for (const o of operations) out.push(enumValue('Gov::Operation', o));
  return out;
}

/**
 * A time as Cedar compares it: whole epoch seconds (a Long). Throws TypeError on an invalid Date.
 * `round` picks the conservative side: a licence starts at the ceiling of validFrom and ends at the floor of validTo.
 */
export function epochSeconds(date: Date, round: 'floor' | 'ceil' = 'floor'): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new TypeError('authorization: invalid Date');
  return round === 'floor' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
}

function slice(entity: CedarEntity, ...more: CedarEntity[]): EntitySlice {
  return { uid: entity.uid, entities: [entity, ...more] };
}

export function staffEntity(staff: StaffInput): EntitySlice {
  const attrs: Record<string, CedarValue> = { role: enumValue('Gov::Role', staff.role) };
  // no department: a steward of every department (the schema's optional attribute is absent)
  if (staff.department !== null) attrs.department = staff.department;
  return slice({ uid: { type: 'Gov::Staff', id: staff.id }, attrs, parents: [] });
}

function licenseEntity(license: LicenseInput, operator: EntityRef): CedarEntity {
  // one tag per licensed dataset code; a code listed twice grants the union of its entries
  const grants = new Map<string, { fields: Set<string>; operations: Set<Operation> }>();
  for (const d of license.datasets) {
    const grant = grants.get(d.code) ?? { fields: new Set<string>(), operations: new Set<Operation>() };
    for (const f of d.fields) grant.fields.add(f);
    for (const o of d.operations) grant.operations.add(o);
    grants.set(d.code, grant);
  }
  const tags: Record<string, CedarValue> = {};
  for (const [code, grant] of grants) {
    tags[code] = { fields: [...grant.fields], operations: operationValues(grant.operations) };
  }
  return {
    uid: { type: 'Gov::License', id: license.id },
    attrs: {
      status: enumValue('Gov::LicenseStatus', license.status),
      validFrom: epochSeconds(license.validFrom, 'ceil'),
      validTo: epochSeconds(license.validTo, 'floor'),
    },
    parents: [operator],
    tags,
  };
}

/**
 * The operator and the licences it holds (each a member of the operator). Pass the licence a request names in its
 * context, or all of the operator's licences; a licence not passed grants nothing.
 */
export function operatorEntity(operator: OperatorInput, licenses: readonly LicenseInput[] = []): EntitySlice {
  const uid: EntityRef = { type: 'Gov::Operator', id: operator.id };
  const self: CedarEntity = { uid, attrs: { status: enumValue('Gov::OperatorStatus', operator.status) }, parents: [] };
  const entities: CedarEntity[] = [self];
  for (const license of licenses) entities.push(licenseEntity(license, uid));
  return { uid, entities };
}

const PUBLIC: EntitySlice = Object.freeze(slice({ uid: { type: 'Gov::Public', id: 'anonymous' }, attrs: {}, parents: [] }));

/** Anyone without a token. */
export function publicEntity(): EntitySlice {
  return PUBLIC;
}

/** Platform-internal work, e.g. `systemEntity('demo-seed')`. */
export function systemEntity(id: string): EntitySlice {
  return slice({ uid: { type: 'Gov::System', id }, attrs: {}, parents: [] });
}

function datasetOnly(dataset: DatasetInput): CedarEntity {
  return {
    uid: { type: 'Gov::Dataset', id: dataset.code },
    attrs: {
      code: dataset.code,
      department: dataset.department,
      openType: enumValue('Gov::OpenType', dataset.openType),
      grade: enumValue('Gov::Grade', dataset.grade),
    },
    parents: [],
  };
}

/** A dataset; also for registering a new one (its declared department decides who may). */
export function datasetEntity(dataset: DatasetInput): EntitySlice {
  return slice(datasetOnly(dataset));
}

/** A field of a dataset as an open download would release it; the dataset comes along (its policies read it). */
export function fieldEntity(dataset: DatasetInput, field: FieldInput): EntitySlice {
  const parent = datasetOnly(dataset);
  return slice(
    {
      uid: { type: 'Gov::Field', id: `${dataset.code}/${field.name}` },
      attrs: {
        name: field.name,
        dataset: entityValue(parent.uid),
        sensitivity: enumValue('Gov::Sensitivity', field.sensitivity),
        masked: field.masked,
      },
      parents: [],
    },
    parent,
  );
}

/** A job. For ReadJob and ReviewJob no other entity is needed (owner and licence are compared by id). */
export function jobEntity(job: JobInput): EntitySlice {
  return slice({
    uid: { type: 'Gov::Job', id: job.id },
    attrs: {
      owner: entityValue({ type: 'Gov::Operator', id: job.operatorId }),
      license: entityValue({ type: 'Gov::License', id: job.licenseId }),
      departments: [...new Set(job.departments)],
    },
    parents: [],
  });
}

/** A conditional-open application: the resource stewards decide, and once approved the principal that downloads. */
export function applicationEntity(application: ApplicationInput): EntitySlice {
  const attrs: Record<string, CedarValue> = {
    department: application.department,
    dataset: entityValue({ type: 'Gov::Dataset', id: application.datasetCode }),
    status: enumValue('Gov::ApplicationStatus', application.status),
  };
  if (application.expiresAt) attrs.expiresAt = epochSeconds(application.expiresAt, 'floor');
  return slice({ uid: { type: 'Gov::Application', id: application.id }, attrs, parents: [] });
}

/** A department's priority list of a year, e.g. `{ id: '2025/公安厅', department: '公安厅' }`. */
export function priorityListEntity(list: DepartmentScopedInput): EntitySlice {
  return slice({ uid: { type: 'Gov::PriorityList', id: list.id }, attrs: { department: list.department }, parents: [] });
}

/** A data-quality feedback item, scoped to the department of the dataset it is about. */
export function feedbackEntity(feedback: DepartmentScopedInput): EntitySlice {
  return slice({ uid: { type: 'Gov::Feedback', id: feedback.id }, attrs: { department: feedback.department }, parents: [] });
}

/** A round of encrypted statistics (also for opening one: its custodian decides who may). */
export function encryptedRoundEntity(round: EncryptedRoundInput): EntitySlice {
  return slice({
    uid: { type: 'Gov::EncryptedRound', id: round.id },
    attrs: {
      custodian: entityValue({ type: 'Gov::Staff', id: round.custodianId }),
      departments: [...new Set(round.departments)],
    },
    parents: [],
  });
}

const singleton = (type: 'Gov::Whitelist' | 'Gov::AuditLog' | 'Gov::AlertQueue', id: string): EntitySlice =>
  Object.freeze(slice({ uid: { type, id }, attrs: {}, parents: [] }));

/** The operator whitelist: operators, their keys and licences. */
export const WHITELIST_RESOURCE: EntitySlice = singleton('Gov::Whitelist', 'whitelist');
/** The audit log: listing, verification, export. */
export const AUDIT_LOG_RESOURCE: EntitySlice = singleton('Gov::AuditLog', 'audit');
/** The high-risk alert queue. */
export const ALERT_QUEUE_RESOURCE: EntitySlice = singleton('Gov::AlertQueue', 'alerts');
