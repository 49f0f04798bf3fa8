// Every step of a round is an audit event on the node where it happens: the sink is the node's audit log.
import { isAppError } from '../../errors/index.ts';
import type { AuditEvent } from '../../store/index.ts';

export type AuditSink = (event: AuditEvent) => Promise<unknown>;

/** A value-free description of a failure for the audit log and the other node: code and reason, never data. */
export function describeFailure(err: unknown): { code: string; reason: string } {
  if (isAppError(err)) return { code: err.code, reason: typeof err.details?.reason === 'string' ? err.details.reason : err.message.slice(0, 200) };
  if (err instanceof Error && err.name === 'ZodError') return { code: 'VALIDATION_FAILED', reason: 'malformed-message' };
  return { code: 'INTERNAL', reason: err instanceof Error ? err.name : 'error' };
}

export function roundEvent(nodeId: string, roundId: string, action: string, outcome: AuditEvent['outcome'], details: Record<string, unknown>): AuditEvent {
  return { actor: { type: 'system', id: `federation:${nodeId}` }, action, resource: `federated-round:${roundId}`, outcome, details };
}
