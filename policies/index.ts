export { actorLabel } from './actor.ts';
export type { Actor, StaffRole } from './actor.ts';
export { GRADE_LABELS, POLICY_USES, gradeOf, gradeRank, minimumGradeFor, stricterGrade } from './grades.ts';
export type { GradeLabel, PolicyUse } from './grades.ts';
export { describeMask, maskAccepts, maskedType, maskRuleSchema, maskStrength } from './mask-rules.ts';
export type { MaskKind, MaskRule, MaskStrength } from './mask-rules.ts';
export { DEFAULT_RULES, defaultFor, defaultRule } from './defaults.ts';
export type { DefaultRule, UseDefault } from './defaults.ts';
export { loadPolicies, parsePolicySet } from './load-policies.ts';
export type { PolicyDocument, PolicyFileProblem } from './load-policies.ts';
export { policyFileSchema } from './policy-schema.ts';
export type { PolicyFile } from './policy-schema.ts';
export { datasetPolicy, fieldPolicy, policyJustifications } from './policy-set.ts';
export type { DatasetPolicy, FieldPolicy, Justification, PolicySet, QuasiIdentifierPolicy, UsePolicy } from './policy-set.ts';
export { assertPoliciesMatchRegistry, checkPoliciesAgainstRegistry } from './check-registry.ts';
export type { PolicyProblem, PolicyProblemCode } from './check-registry.ts';
export { AGGREGATE_KINDS, combine, DISCLOSURE_BY_GRADE, disclosureRules, disclosureRulesForGrade, fieldDisclosureRules } from './disclosure.ts';
export type { AggregateKind, DisclosureRules } from './disclosure.ts';
export { columnMask, maskerFor } from './masker.ts';
export type { MaskedColumn, MaskedField, MaskerOptions, RowMasker } from './masker.ts';
export { maskResidentId } from './masks/resident-id.ts';
export { maskEmail, maskMobile } from './masks/contact.ts';
export { maskBankCard, maskUscc } from './masks/codes.ts';
export { maskName } from './masks/name.ts';
export { maskAddress } from './masks/address.ts';
export { ageBand, birthDateToAgeBand, generalizeDateToMonth, generalizeDateToYear, maskRegion, roundTo } from './masks/generalize.ts';
export { countyCodes, generalizeRegion, regionName } from './regions.ts';
export type { RegionLevel } from './regions.ts';
export { createPseudonymizer, derivePseudonymKey, PSEUDONYM_BYTES } from './pseudonym.ts';
export type { Pseudonymizer } from './pseudonym.ts';
export { hmacSm3, sm3 } from './sm3.ts';
export type { HmacSm3 } from './sm3.ts';
export { ageHierarchy, buildHierarchy, categoryHierarchy, dateHierarchy, numberHierarchy, regionHierarchy } from './hierarchies.ts';
export type { Hierarchy, HierarchySpec } from './hierarchies.ts';
export { kAnonymity } from './k-anonymity.ts';
export type { KAnonymityOptions, KAnonymityOutcome, KAnonymityResult, QuasiIdentifier } from './k-anonymity.ts';
export { releaseMicrodata } from './release-microdata.ts';
export type { MicrodataRelease } from './release-microdata.ts';
export { profileDataset, syntheticRows } from './synthetic.ts';
export type { ColumnProfile, DatasetProfile } from './synthetic.ts';
export { createAuthorizer } from './cedar/authorizer.ts';
export type { Authorizer, AuthorizerOptions } from './cedar/authorizer.ts';
export { AUTHORIZATION_ACTIONS } from './cedar/types.ts';
export type {
  ActionContexts,
  ApplicationInput,
  AuthorizationAction,
  AuthorizationDecision,
  AuthorizationRequest,
  CedarEntity,
  DatasetInput,
  DepartmentScopedInput,
  EncryptedRoundInput,
  EntityRef,
  EntitySlice,
  FieldInput,
  JobInput,
  LicenseInput,
  OperatorInput,
  StaffInput,
} from './cedar/types.ts';
export {
  ALERT_QUEUE_RESOURCE,
  AUDIT_LOG_RESOURCE,
  WHITELIST_RESOURCE,
  applicationEntity,
  datasetEntity,
  encryptedRoundEntity,
  feedbackEntity,
  fieldEntity,
  jobEntity,
  operatorEntity,
  priorityListEntity,
  publicEntity,
  staffEntity,
  systemEntity,
} from './cedar/entities.ts';
export { decisionAuditEvent } from './cedar/audit.ts';
export type { DecisionAuditEvent } from './cedar/audit.ts';
export type { CedarProblem, CedarSource } from './cedar/load.ts';
