// The authorization model as TypeScript: the closed set of actions, the per-action request context, the inputs the
// entity builders take and the decision the authorizer returns. Mirrors schema.cedarschema (a test keeps them equal).

/** Every action of schema.cedarschema. */
export const AUTHORIZATION_ACTIONS = [
  'ManageWhitelist',
  'ReadAudit',
  'ManageAlerts',
  'ManageDataset',
  'PublishPriorityList',
  'ApproveApplication',
  'ReplyFeedback',
  'ReviewJob',
  'ReadDatasetSchema',
  'SubmitJob',
  'ReadJob',
  'DownloadDataset',
  'DownloadField',
  'OpenRound',
  'ReadRound',
  'ContributeEncrypted',
  'CloseRound',
  'DecryptTotal',
] as const;
export type AuthorizationAction = (typeof AUTHORIZATION_ACTIONS)[number];

/** Every entity type of schema.cedarschema that a request names or carries (the enumerations are values, not listed). */
export type CedarEntityType =
  | 'Gov::Staff'
  | 'Gov::Operator'
  | 'Gov::License'
  | 'Gov::Public'
  | 'Gov::System'
  | 'Gov::Dataset'
  | 'Gov::Field'
  | 'Gov::Job'
  | 'Gov::Application'
  | 'Gov::PriorityList'
  | 'Gov::Feedback'
  | 'Gov::Whitelist'
  | 'Gov::AuditLog'
  | 'Gov::AlertQueue'
  | 'Gov::EncryptedRound';

/** A Cedar entity uid. */
export interface EntityRef {
  readonly type: CedarEntityType;
  readonly id: string;
}

/** A Cedar value in its JSON form (entity references as `{ __entity: { type, id } }`). */
export type CedarValue = boolean | number | string | readonly CedarValue[] | { readonly [key: string]: CedarValue };

/** An entity in Cedar's JSON entity format. */
export interface CedarEntity {
  readonly uid: EntityRef;
  readonly attrs: { readonly [key: string]: CedarValue };
  readonly parents: readonly EntityRef[];
  readonly tags?: { readonly [key: string]: CedarValue };
}

/** What the entity builders return: the uid to name in a request, and the entities that request must carry. */
export interface EntitySlice {
  readonly uid: EntityRef;
  readonly entities: readonly CedarEntity[];
}

export type StaffRole = 'security' | 'steward' | 'custodian';
export type OperatorStatus = 'active' | 'suspended' | 'revoked';
export type LicenseStatus = 'active' | 'suspended' | 'revoked';
export type Operation = 'aggregate' | 'model' | 'encrypted-scoring' | 'federated' | 'psi';
export type OpenType = 'unconditional' | 'conditional' | 'not_open';
export type Grade = 'core' | 'important' | 'general';
export type Sensitivity = 'none' | 'personal' | 'sensitive_personal';
export type ApplicationStatus = 'pending' | 'approved' | 'rejected';

/** A staff member; `department: null` is a steward of every department (the staff actor has this shape). */
export interface StaffInput {
  readonly id: string;
  readonly role: StaffRole;
  readonly department: string | null;
}

export interface OperatorInput {
  readonly id: string;
  readonly status: OperatorStatus;
}

/** A licence as the whitelist stores it (the fields authorization reads). */
export interface LicenseInput {
  readonly id: string;
  readonly status: LicenseStatus;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly datasets: readonly { readonly code: string; readonly fields: readonly string[]; readonly operations: readonly Operation[] }[];
}

/** A registered dataset (the registry's DatasetDefinition has these members). */
export interface DatasetInput {
  readonly code: string;
  readonly department: string;
  readonly openType: OpenType;
  readonly grade: Grade;
}

/** A field as an open download releases it: `masked` when the download policy transforms its values. */
export interface FieldInput {
  readonly name: string;
  readonly sensitivity: Sensitivity;
  readonly masked: boolean;
}

export interface JobInput {
  readonly id: string;
  readonly operatorId: string;
  readonly licenseId: string;
  /** departments of the datasets the job reads */
  readonly departments: readonly string[];
}

export interface ApplicationInput {
  readonly id: string;
  /** department of the dataset applied for */
  readonly department: string;
  readonly datasetCode: string;
  readonly status: ApplicationStatus;
  readonly expiresAt?: Date | null | undefined;
}

/** A round of encrypted statistics: the custodian (staff id) whose key it uses and the invited departments. */
export interface EncryptedRoundInput {
  readonly id: string;
  readonly custodianId: string;
  readonly departments: readonly string[];
}

export interface DepartmentScopedInput {
  readonly id: string;
  readonly department: string;
}

/**
 * The request context of each action, in TypeScript terms; the authorizer turns it into Cedar's. `now` defaults to
 * the authorizer's clock. Licence and staff members are ids.
 */
export interface ActionContexts {
  ManageWhitelist: Record<string, never>;
  ReadAudit: Record<string, never>;
  ManageAlerts: Record<string, never>;
  ManageDataset: Record<string, never>;
  PublishPriorityList: Record<string, never>;
  ApproveApplication: Record<string, never>;
  ReplyFeedback: Record<string, never>;
  /** `submittedBy`: id of the staff member who submitted the job, when one did */
  ReviewJob: { readonly submittedBy?: string | undefined };
  /** an operator names the licence it reads under; staff name none */
  ReadDatasetSchema: { readonly now?: Date | undefined; readonly license?: string | undefined };
  /** one request per dataset of the job: the fields it reads there and the operations it performs */
  SubmitJob: {
    readonly now?: Date | undefined;
    readonly license: string;
    readonly fields: readonly string[];
    readonly operations: readonly Operation[];
  };
  ReadJob: Record<string, never>;
  DownloadDataset: { readonly now?: Date | undefined };
  DownloadField: { readonly now?: Date | undefined };
  OpenRound: Record<string, never>;
  ReadRound: Record<string, never>;
  ContributeEncrypted: Record<string, never>;
  /** how many departments have contributed to the round */
  CloseRound: { readonly contributions: number };
  DecryptTotal: { readonly contributions: number };
}

type RequestOf<A extends AuthorizationAction> = {
  readonly principal: EntitySlice;
  readonly action: A;
  readonly resource: EntitySlice;
  /** more entities the policies read (e.g. the licence named in the context comes with the operator slice) */
  readonly entities?: readonly CedarEntity[] | undefined;
} & ({} extends ActionContexts[A] ? { readonly context?: ActionContexts[A] | undefined } : { readonly context: ActionContexts[A] });

/** One authorization question. Principal and resource are slices from the entity builders; their entities go along. */
export type AuthorizationRequest = { [A in AuthorizationAction]: RequestOf<A> }[AuthorizationAction];

/**
 * The answer. `policyIds`: the `@id`s of the determining policies — for an allow the permits that matched, for a deny
 * the forbids that matched, or none when no permit matched (default deny). `errors` is non-empty only when a policy or
 * the request could not be evaluated; the decision is then `deny` (fail closed), and it is a bug to report.
 */
export interface AuthorizationDecision {
  readonly decision: 'allow' | 'deny';
  readonly policyIds: readonly string[];
  readonly errors: readonly string[];
}
