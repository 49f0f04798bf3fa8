// The coordinator's side of a federated round: it drives every party (itself included) through the four steps of
// secure aggregation and learns only the sum of the partials of the parties that survived. Unreachable parties are
// dropouts; the round goes on while at least `threshold` remain and fails (nothing released, audited) below it.
import { AppError, isAppError } from '../../errors/index.ts';
import { secureAggregation as sa } from '../../crypto/index.ts';
import { describeFailure, roundEvent, type AuditSink } from './audit.ts';
import type { RoundStep } from './participant.ts';
import { roundParamsSchema, vectorLength, type RoundParams } from './spec.ts';
import { fromWire, toWire } from './wire.ts';

/** Sends one step of a round to a party and returns its (authenticated) reply; throws when the party does not answer. */
export type RoundCall = (party: string, step: RoundStep, body: unknown) => Promise<unknown>;

export interface CoordinatorOptions {
  nodeId: string;
  audit: AuditSink;
  call: RoundCall;
}

export interface RoundSum {
  params: RoundParams;
  /** dequantized: counts per label, then sums per label (in the job's units) */
  totals: Float64Array;
  /** node ids whose partials are in the sum */
  survivors: string[];
  /** node ids that dropped out, with the step they failed at */
  dropped: { party: string; step: RoundStep; code: string }[];
}

/**
 * Runs the protocol for `input` (parties must include this node). Throws AppError CONFLICT `too-few-parties` when
 * fewer than `threshold` parties are left at any step, and rethrows other protocol errors; each is audited
 * (`federation.round.failed`). The sum is returned to the caller, which applies disclosure control before anything
 * is released.
 */
export async function runRound(input: unknown, options: CoordinatorOptions): Promise<RoundSum> {
  const params = roundParamsSchema.parse(input);
  const { nodeId, audit, call } = options;
  const { roundId, parties } = params;
  if (!parties.includes(nodeId)) throw new AppError('VALIDATION_FAILED', 'the coordinator must be a party of its round', { details: { reason: 'not-a-party' } });
  const server = new sa.SecAggServer({ session: roundId, parties: parties.map((_, i) => i + 1), threshold: params.threshold, bits: params.bits, length: vectorLength(params.job) });
  const dropped: RoundSum['dropped'] = [];
  const node = (party: number) => parties[party - 1]!;
  const number = (id: string) => parties.indexOf(id) + 1;

  await audit(roundEvent(nodeId, roundId, 'federation.round.started', 'ok', { parties, threshold: params.threshold, dataset: params.job.dataset, fields: params.job.fields, length: vectorLength(params.job) }));

  /** one step to several parties at once; a party whose call or message fails is a dropout of this step */
  async function step(step: RoundStep, to: readonly string[], body: (party: string) => unknown, accept: (party: string, reply: unknown) => void): Promise<void> {
    const replies = await Promise.allSettled(to.map((party) => call(party, step, body(party))));
    for (let i = 0; i < to.length; i++) {
      const party = to[i]!;
      const r = replies[i]!;
      try {
        if (r.status === 'rejected') throw r.reason;
        accept(party, r.value);
        if (step === 'masked-input') await audit(roundEvent(nodeId, roundId, 'federation.input.received', 'ok', { party }));
      } catch (err) {
        const { code, reason } = describeFailure(err);
        dropped.push({ party, step, code });
        await audit(roundEvent(nodeId, roundId, 'federation.dropout', 'error', { party, step, code, reason }));
      }
    }
  }
  /** the reply must come from the party it was sent to: its party number is checked against the sender */
  const fromParty = (party: string, from: number) => {
    if (from !== number(party)) throw new AppError('FORBIDDEN', 'a reply names another party', { details: { reason: 'wrong-party' } });
  };

  try {
    await step('start', parties, () => params, (party, reply) => {
      const m = fromWire.advertise(reply);
      fromParty(party, m.from);
      server.receive(m);
    });
    const directory = server.closeAdvertiseKeys();
    const u1 = directory.parties.map((p) => node(p.id));
    const wireDirectory = toWire.directory(directory);
    await step('share-keys', u1, () => wireDirectory, (party, reply) => {
      const m = fromWire.shareKeys(reply);
      fromParty(party, m.from);
      server.receive(m);
    });
    const deliveries = server.closeShareKeys();
    const u2 = [...deliveries.keys()].map(node);
    await step('masked-input', u2, (party) => toWire.delivery(deliveries.get(number(party))!), (party, reply) => {
      const m = fromWire.maskedInput(reply);
      fromParty(party, m.from);
      server.receive(m);
    });
    const list = server.closeMaskedInput();
    const wireList = toWire.survivors(list);
    await step('unmask', list.survivors.map(node), () => wireList, (party, reply) => {
      const m = fromWire.unmask(reply);
      fromParty(party, m.from);
      server.receive(m);
    });
    const sum = server.result();
    const survivors = list.survivors.map(node);
    const q = sa.dequantize(sum, { bits: params.bits, scale: 1 });
    const g = params.job.domain.length;
    const totals = Float64Array.from(q, (v, i) => (i < g ? v : v / params.job.scale));
    await audit(roundEvent(nodeId, roundId, 'federation.unmasked', 'ok', { survivors, dropped: dropped.map((d) => d.party), recovered: u2.filter((p) => !survivors.includes(p)) }));
    return { params, totals, survivors, dropped };
  } catch (err) {
    const { code, reason } = describeFailure(err);
    await audit(roundEvent(nodeId, roundId, 'federation.round.failed', 'error', { code, reason, dropped: dropped.map((d) => d.party), ...(isAppError(err) ? pick(err.details, ['have', 'need']) : {}) }));
    throw err;
  }
}

function pick(details: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => details && k in details).map((k) => [k, details![k]]));
}
