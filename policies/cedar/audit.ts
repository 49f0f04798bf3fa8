// Every decision, allow or deny, is an audit event: this builds it, value-free, in the shape store's AuditEvent takes
// (the gateway adds the ip and request id and appends it in the transaction of the request).
import type { AuthorizationDecision, AuthorizationRequest, CedarEntityType } from './types.ts';

export interface DecisionAuditEvent {
  actor: { type: 'staff' | 'operator' | 'public' | 'system'; id: string | null };
  /** `authz.<action in snake case>`, e.g. `authz.submit_job` */
  action: string;
  /** `dataset:population`, `job:42`, `field:population/name`, `whitelist` ... */
  resource: string;
  /** `error` when Cedar could not evaluate the request (the decision was then deny) */
  outcome: 'allow' | 'deny' | 'error';
  details: {
    /** the Cedar action */
    cedarAction: string;
    /** the determining policies' @ids; empty for a deny means no permit applied */
    policies: string[];
    errors?: string[];
    /** for an application credential acting as the public: its id */
    application?: string;
  };
}

const ACTOR_TYPE: Partial<Record<CedarEntityType, DecisionAuditEvent['actor']['type']>> = {
  'Gov::Staff': 'staff',
  'Gov::Operator': 'operator',
  'Gov::System': 'system',
};

const RESOURCE_PREFIX: Partial<Record<CedarEntityType, string>> = {
  'Gov::Dataset': 'dataset',
  'Gov::Field': 'field',
  'Gov::Job': 'job',
  'Gov::Application': 'application',
  'Gov::PriorityList': 'priority-list',
  'Gov::Feedback': 'feedback',
  'Gov::EncryptedRound': 'encrypted-round',
};

const snake = (name: string) => name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? '' : '_') + c.toLowerCase());

/** The audit event of one decision. Carries ids and policy names only, never a data value. */
export function decisionAuditEvent(request: AuthorizationRequest, decision: AuthorizationDecision): DecisionAuditEvent {
  const principal = request.principal.uid;
  const resource = request.resource.uid;
  const actorType = ACTOR_TYPE[principal.type] ?? 'public';
  const prefix = RESOURCE_PREFIX[resource.type];
  const details: DecisionAuditEvent['details'] = { cedarAction: request.action, policies: [...decision.policyIds] };
  if (decision.errors.length > 0) details.errors = [...decision.errors];
  if (principal.type === 'Gov::Application') details.application = principal.id;
  return {
    actor: { type: actorType, id: actorType === 'public' ? null : principal.id },
    action: `authz.${snake(request.action)}`,
    resource: prefix ? `${prefix}:${resource.id}` : snake(resource.type.slice('Gov::'.length)),
    outcome: decision.errors.length > 0 ? 'error' : decision.decision,
    details,
  };
}
