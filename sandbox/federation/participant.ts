// The participant's side of a federated round: one state machine per round, driven by the coordinator's messages.
// Its partial aggregate leaves only as the round-2 masked vector (x + self-mask + pairwise masks mod 2^k).
import { ZodError } from 'zod';
import { AppError } from '../../errors/index.ts';
import { secureAggregation as sa } from '../../crypto/index.ts';
import { describeFailure, roundEvent, type AuditSink } from './audit.ts';
import type { LocalPartial } from './local-partial.ts';
import { partyNumber, roundParamsSchema, vectorLength, type FederatedJob, type RoundParams } from './spec.ts';
import { fromWire, toWire } from './wire.ts';

export const ROUND_STEPS = ['start', 'share-keys', 'masked-input', 'unmask'] as const;
export type RoundStep = (typeof ROUND_STEPS)[number];

export interface ParticipantOptions {
  nodeId: string;
  audit: AuditSink;
  /** runs the job on this node's data (local-partial.ts computePartial in production) */
  computePartial: (job: FederatedJob, roundId: string) => Promise<LocalPartial>;
  /**
   * The fewest survivors OTHER than the coordinator this node unmasks for; default 2. The coordinator knows its own
   * partial, so a sum over itself and one other node would hand it that node's partial: with the default, this node
   * refuses to help unmask such a sum (and refuses rounds that could only end that way).
   */
  minOtherSurvivors?: number;
  /** a round not finished within this many ms is forgotten (its late messages are refused); default 10 min */
  roundTtlMs?: number;
  now?: () => number;
}

interface Round {
  coordinator: string;
  params: RoundParams;
  client: sa.SecAggClient;
  input: Uint32Array | null;
  expires: number;
}

/** The quantization of a partial: counts and sums × scale, two's complement mod 2^bits, bounded so n of them cannot overflow. */
export function quantizePartial(partial: Float64Array, params: RoundParams): Uint32Array {
  const g = params.job.domain.length;
  const scaled = Array.from(partial, (v, i) => (i < g ? v : v * params.job.scale));
  return sa.quantize(scaled, { bits: params.bits, scale: 1, parties: params.parties.length });
}

/** A malformed message from another node is its mistake (4xx), never a 500 here: the issue paths, no values. */
function asAppError(err: unknown): unknown {
  if (err instanceof ZodError)
    return new AppError('VALIDATION_FAILED', 'the message is malformed', { details: { reason: 'malformed-message', issues: err.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) } });
  if (err instanceof TypeError) return new AppError('VALIDATION_FAILED', 'the message is malformed', { details: { reason: 'malformed-message' } });
  return err;
}

export class FederationParticipant {
  private readonly rounds = new Map<string, Round>();
  private readonly finished = new Set<string>();
  constructor(private readonly options: ParticipantOptions) {}

  private minOthers(): number {
    return this.options.minOtherSurvivors ?? 2;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * Handles one step of a round from `from` (already authenticated by the transport) and returns the reply. Every step
   * and every refusal is audited here. Throws AppError: CONFLICT for a replayed, late or out-of-order message or an
   * unknown round; FORBIDDEN for a sender that is not the round's coordinator; VALIDATION_FAILED for a malformed one.
   */
  async handle(from: string, roundId: string, step: RoundStep, body: unknown): Promise<unknown> {
    this.expire();
    const { nodeId, audit } = this.options;
    try {
      return await this.dispatch(from, roundId, step, body);
    } catch (caught) {
      const err = asAppError(caught);
      const { code, reason } = describeFailure(err);
      await audit(roundEvent(nodeId, roundId, 'federation.message.refused', 'deny', { step, from, code, reason }));
      // the round cannot continue after a refused step of its own coordinator: it is dropped
      const round = this.rounds.get(roundId);
      if (round && round.coordinator === from && code !== 'CONFLICT') this.drop(roundId);
      throw err;
    }
  }

  private async dispatch(from: string, roundId: string, step: RoundStep, body: unknown): Promise<unknown> {
    const { nodeId, audit } = this.options;
    if (step === 'start') {
      if (this.rounds.has(roundId) || this.finished.has(roundId))
        throw new AppError('CONFLICT', 'this round was started already', { details: { reason: 'replayed-message' } });
      const params = roundParamsSchema.parse(body);
      if (params.roundId !== roundId) throw new AppError('VALIDATION_FAILED', 'the round id does not match', { details: { reason: 'wrong-round' } });
      const id = partyNumber(params, nodeId);
      if (id === undefined) throw new AppError('FORBIDDEN', 'this node is not a party of the round', { details: { reason: 'not-a-party' } });
      if (!params.parties.includes(from)) throw new AppError('FORBIDDEN', 'the coordinator is not a party of the round', { details: { reason: 'not-a-party' } });
      if (params.parties.length - 1 < this.minOthers())
        throw new AppError('CONFLICT', 'too few parties besides the coordinator for this node to take part', { details: { reason: 'too-few-others', need: this.minOthers() } });
      const client = new sa.SecAggClient(id, { session: roundId, parties: params.parties.map((_, i) => i + 1), threshold: params.threshold, bits: params.bits, length: vectorLength(params.job) });
      // claim the round before the (slow) local run, so a replayed start is refused meanwhile
      const round: Round = { coordinator: from, params, client, input: null, expires: this.now() + (this.options.roundTtlMs ?? 600_000) };
      this.rounds.set(roundId, round);
      try {
        const partial = await this.options.computePartial(params.job, roundId);
        round.input = quantizePartial(partial.values, params);
        await audit(
          roundEvent(nodeId, roundId, 'federation.round.joined', 'ok', {
            coordinator: from,
            parties: params.parties,
            threshold: params.threshold,
            dataset: params.job.dataset,
            fields: params.job.fields,
            rows: partial.rows,
            outOfDomainRows: partial.outOfDomain,
            dataVersion: partial.dataVersion,
            length: vectorLength(params.job),
          }),
        );
      } catch (err) {
        this.drop(roundId);
        throw err;
      }
      return toWire.advertise(client.advertiseKeys());
    }
    const round = this.rounds.get(roundId);
    if (!round) {
      const reason = this.finished.has(roundId) ? 'late-message' : 'unknown-round';
      throw new AppError('CONFLICT', reason === 'late-message' ? 'the round is over on this node' : 'no such round on this node', { details: { reason } });
    }
    if (from !== round.coordinator) throw new AppError('FORBIDDEN', 'only the round’s coordinator may drive it', { details: { reason: 'not-the-coordinator' } });
    switch (step) {
      case 'share-keys': {
        const reply = round.client.shareKeys(fromWire.directory(body));
        await audit(roundEvent(nodeId, roundId, 'federation.keys.shared', 'ok', { parties: reply.shares.length + 1 }));
        return toWire.shareKeys(reply);
      }
      case 'masked-input': {
        if (!round.input) throw new AppError('CONFLICT', 'the input was sent already', { details: { reason: 'replayed-message' } });
        const reply = round.client.maskedInput(fromWire.delivery(body), round.input);
        round.input = null; // the clear partial is not kept once masked
        await audit(roundEvent(nodeId, roundId, 'federation.input.sent', 'ok', { length: reply.masked.length }));
        return toWire.maskedInput(reply);
      }
      case 'unmask': {
        const list = fromWire.survivors(body);
        const others = list.survivors.filter((p) => round.params.parties[p - 1] !== round.coordinator).length;
        if (others < this.minOthers()) {
          this.drop(roundId);
          throw new AppError('CONFLICT', 'too few survivors besides the coordinator: the sum would reveal a partial', { details: { reason: 'too-few-others', have: others, need: this.minOthers() } });
        }
        const reply = round.client.unmask(list);
        this.drop(roundId);
        await audit(
          roundEvent(nodeId, roundId, 'federation.unmask.sent', 'ok', {
            survivors: list.survivors.map((p) => round.params.parties[p - 1]),
            recoveredKeysOf: reply.keyShares.map((s) => round.params.parties[s.of - 1]),
          }),
        );
        return toWire.unmask(reply);
      }
      default:
        throw new AppError('VALIDATION_FAILED', 'unknown step', { details: { reason: 'unknown-step' } });
    }
  }

  private drop(roundId: string): void {
    this.rounds.delete(roundId);
    this.finished.add(roundId);
  }

  private expire(): void {
    const now = this.now();
    for (const [id, r] of this.rounds) if (r.expires < now) this.drop(id);
    // the set of finished round ids only has to outlive the messages' short expiry; keep it bounded
    if (this.finished.size > 10_000) this.finished.clear();
  }
}
