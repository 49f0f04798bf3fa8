// The gateway's decision point: Cedar decides, every decision is audited, a deny becomes FORBIDDEN.
import { AppError } from '../errors/index.ts';
import {
  decisionAuditEvent,
  operatorEntity,
  publicEntity,
  staffEntity,
  systemEntity,
  type Actor,
  type Authorizer,
  type EntitySlice,
  type LicenseInput,
  type OperatorInput,
} from '../policies/index.ts';
import type { AuditEvent } from '../store/index.ts';
import type { Services } from './context.ts';
import type { GatewayVerbContext } from './verb-context.ts';
import type { AuthorizationQuestion } from '../catalog-open/index.ts';

/** The Cedar principal of an actor. Operators need their live whitelist row and licences (see requireOperator). */
export function principalOf(actor: Actor, operator?: { row: OperatorInput; licenses: LicenseInput[] }): EntitySlice {
  switch (actor.type) {
    case 'staff':
      return staffEntity({ id: actor.id, role: actor.role, department: actor.department });
    case 'operator':
      if (!operator) throw new TypeError('an operator principal needs its whitelist row');
      return operatorEntity(operator.row, operator.licenses);
    case 'system':
      return systemEntity(actor.id);
    case 'public':
      return publicEntity();
  }
}

export interface DecisionContext {
  principal: EntitySlice;
  authorizer: Authorizer;
  /**
   * Where the decision's audit event goes. Within a request it joins the request's own entry and both are appended
   * together, durable before the response leaves (middleware/audit-request.ts); elsewhere it is appended at once.
   */
  record: (event: AuditEvent) => Promise<unknown>;
  ip: string | null;
  requestId: string | null;
}

/** Decides, records the decision for the audit log, and throws FORBIDDEN on deny. */
export async function decide(ctx: DecisionContext, question: AuthorizationQuestion): Promise<void> {
  const request = { ...question, principal: ctx.principal } as Parameters<Authorizer['authorize']>[0];
  const decision = ctx.authorizer.authorize(request);
  await ctx.record({ ...decisionAuditEvent(request, decision), ip: ctx.ip, requestId: ctx.requestId });
  if (decision.decision !== 'allow') {
    throw new AppError('FORBIDDEN', 'the authorization policies do not allow this', {
      details: { policies: [...decision.policyIds] },
    });
  }
}

/**
 * Decides many questions of one kind (e.g. one per dataset of a listing) and audits them as one entry with the
 * counts, so a listing does not flood the log. Returns which were allowed.
 */
export async function decideEach(ctx: DecisionContext, questions: readonly AuthorizationQuestion[], resource: string): Promise<boolean[]> {
  const policies = new Set<string>();
  const allowed = questions.map((question) => {
    const decision = ctx.authorizer.authorize({ ...question, principal: ctx.principal } as Parameters<Authorizer['authorize']>[0]);
    for (const id of decision.policyIds) policies.add(id);
    return decision.decision === 'allow';
  });
  const first = questions[0];
  if (first) {
    const event = decisionAuditEvent({ ...first, principal: ctx.principal } as Parameters<Authorizer['authorize']>[0], { decision: 'allow', policyIds: [], errors: [] });
    const granted = allowed.filter(Boolean).length;
    await ctx.record({
      ...event,
      resource,
      outcome: granted > 0 ? 'allow' : 'deny',
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { ...event.details, policies: [...policies], allowed: granted, denied: allowed.length - granted },
    });
  }
  return allowed;
}

/** The context of a platform-internal verb call (first-start seeding): the system actor, decided like anyone else. */
export function systemContext(
  services: Pick<Services, 'database' | 'authorizer' | 'audit'>,
  id: string,
): GatewayVerbContext {
  const actor = { type: 'system', id } as const;
  const decision = { principal: principalOf(actor), authorizer: services.authorizer, record: (e: AuditEvent) => services.audit.append(e), ip: null, requestId: null };
  return {
    actor,
    database: services.database,
    requestId: null,
    ip: null,
    authorize: (question) => decide(decision, question),
    authorizeEach: (questions, resource) => decideEach(decision, questions, resource),
  };
}
