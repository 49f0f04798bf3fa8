// One domain node's federation runtime: its identity, replay cache, participant state machine, and the caller that
// reaches its peers over HTTP with signed messages (or, for itself, directly).
import { AppError } from '../../errors/index.ts';
import type { IsolatePool } from '../../sandbox/execution/index.ts';
import { computePartial, FederationParticipant, type FederatedJob, type LocalPartial, type RoundCall, type RoundStep } from '../../sandbox/federation/index.ts';
import type { Services } from '../context.ts';
import { ReplayCache, signMessage, verifyMessage, type NodeIdentity } from './node-identity.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface FederationNode {
  identity: NodeIdentity;
  replay: ReplayCache;
  participant: FederationParticipant;
  fetch: FetchLike;
  /** the caller the coordinator drives a round with */
  caller(roundId: string): RoundCall;
}

export interface FederationNodeOptions {
  identity: NodeIdentity;
  services: Services;
  pool: IsolatePool;
  pseudonymSecret: Uint8Array;
  /** default globalThis.fetch; tests route to other in-process apps */
  fetch?: FetchLike;
  /** tests may replace the local run (e.g. to observe the true partial) */
  computePartial?: (job: FederatedJob, roundId: string) => Promise<LocalPartial>;
  /** see ParticipantOptions.minOtherSurvivors (default 2) */
  minOtherSurvivors?: number;
}

const TIMEOUT_MS = 120_000;

export function createFederationNode(options: FederationNodeOptions): FederationNode {
  const { identity, services } = options;
  const replay = new ReplayCache();
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const participant = new FederationParticipant({
    nodeId: identity.nodeId,
    audit: (event) => services.audit.append(event),
    ...(options.minOtherSurvivors === undefined ? {} : { minOtherSurvivors: options.minOtherSurvivors }),
    computePartial:
      options.computePartial ??
      ((job, roundId) => computePartial(job, roundId, { database: services.database, policies: services.policies, pool: options.pool, pseudonymSecret: options.pseudonymSecret })),
  });
  const node: FederationNode = {
    identity,
    replay,
    participant,
    fetch: fetchFn,
    caller: (roundId) => async (party: string, step: RoundStep, body: unknown) => {
      if (party === identity.nodeId) return participant.handle(party, roundId, step, body);
      const peer = identity.peers.get(party);
      if (!peer) throw new AppError('FORBIDDEN', 'the party is not a pinned peer', { details: { reason: 'unknown-peer' } });
      const { token, jti } = await signMessage(identity, party, { roundId, step, kind: 'request' }, body);
      const res = await fetchFn(`${peer.url}/federation/v1/rounds/${encodeURIComponent(roundId)}/${step}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const answer = (await res.json().catch(() => null)) as { token?: unknown; code?: unknown; details?: { reason?: unknown } } | null;
      if (!res.ok || typeof answer?.token !== 'string') {
        const code = typeof answer?.code === 'string' ? answer.code : `HTTP_${res.status}`;
        const reason = typeof answer?.details?.reason === 'string' ? answer.details.reason : 'refused';
        throw new AppError('CONFLICT', `party ${party} refused the ${step} step (${code})`, { details: { reason: `peer-refused:${reason}`, peerCode: code } });
      }
      const reply = await verifyMessage(identity, replay, answer.token, { roundId, step, kind: 'reply', inReplyTo: jti, from: party });
      return reply.body;
    },
  };
  return node;
}
