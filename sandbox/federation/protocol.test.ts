// The coordinator and participant state machines over an in-memory transport (no database, no isolate): sums,
// dropouts, refusals, and what each step audits.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import type { AuditEvent } from '../../store/index.ts';
import { runRound, type RoundCall } from './coordinator.ts';
import { FederationParticipant, type RoundStep } from './participant.ts';
import type { FederatedJob } from './spec.ts';

const JOB: FederatedJob = { dataset: 'population', fields: ['sex'], code: 'x', params: {}, key: 'sex', domain: ['a', 'b', 'c'], sum: { measure: 'm', bounds: { lo: -100, hi: 100 } }, scale: 4 };

function cluster(partials: Record<string, number[]>, minOtherSurvivors = 1) {
  const audit = new Map<string, AuditEvent[]>();
  const participants = new Map<string, FederationParticipant>();
  for (const id of Object.keys(partials)) {
    audit.set(id, []);
    participants.set(id, new FederationParticipant({ nodeId: id, minOtherSurvivors, audit: async (e) => void audit.get(id)!.push(e), computePartial: async () => ({ values: Float64Array.from(partials[id]!), rows: 10, outOfDomain: 0, dataVersion: 1 }) }));
  }
  /** the coordinator's transport; `down` maps a node to the step from which it no longer answers */
  const call =
    (coordinator: string, roundId: string, down: Record<string, RoundStep> = {}): RoundCall =>
    async (party, step, body) => {
      const order: RoundStep[] = ['start', 'share-keys', 'masked-input', 'unmask'];
      const from = down[party];
      if (from && order.indexOf(step) >= order.indexOf(from)) throw new TypeError('fetch failed');
      // a JSON round trip, as on the wire
      return JSON.parse(JSON.stringify(await participants.get(party)!.handle(coordinator, roundId, step, JSON.parse(JSON.stringify(body))))) as unknown;
    };
  return { audit, participants, call };
}

const partials = { n1: [3, 4, 5, 10.25, -20, 0], n2: [1, 0, 2, -5.5, 7, 1], n3: [7, 7, 7, 1, 1, 1] };
const sum = (ids: (keyof typeof partials)[]) => partials.n1.map((_, i) => ids.reduce((s, id) => s + partials[id][i]!, 0));

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return isAppError(err) ? (err.details?.reason as string) : String(err);
  }
  return 'no error';
}

describe('runRound', () => {
  it('sums counts and fixed-point sums of every party exactly', async () => {
    const c = cluster(partials);
    const out = await runRound({ roundId: 'round-0001', parties: ['n1', 'n2', 'n3'], threshold: 2, job: JOB }, { nodeId: 'n1', audit: async (e) => void c.audit.get('n1')!.push(e), call: c.call('n1', 'round-0001') });
    expect([...out.totals]).toEqual(sum(['n1', 'n2', 'n3']));
    expect(out.survivors).toEqual(['n1', 'n2', 'n3']);
    expect(c.audit.get('n2')!.map((e) => e.action)).toEqual(['federation.round.joined', 'federation.keys.shared', 'federation.input.sent', 'federation.unmask.sent']);
  });

  it.each([['share-keys'], ['masked-input'], ['unmask']] as const)('tolerates one dropout from %s on (t = 2 of 3)', async (step) => {
    const c = cluster(partials);
    const out = await runRound({ roundId: 'round-0002', parties: ['n1', 'n2', 'n3'], threshold: 2, job: JOB }, { nodeId: 'n1', audit: async (e) => void c.audit.get('n1')!.push(e), call: c.call('n1', 'round-0002', { n3: step }) });
    // a party that sent its masked input and then failed to unmask is still in the sum
    expect([...out.totals]).toEqual(step === 'unmask' ? sum(['n1', 'n2', 'n3']) : sum(['n1', 'n2']));
    expect(out.dropped).toEqual([{ party: 'n3', step, code: 'INTERNAL' }]);
  });

  it('by default, a node will not help unmask a sum of the coordinator and itself alone', async () => {
    const c = cluster(partials, 2);
    const events: AuditEvent[] = [];
    const r = await reason(runRound({ roundId: 'round-0011', parties: ['n1', 'n2', 'n3'], threshold: 2, job: JOB }, { nodeId: 'n1', audit: async (e) => void events.push(e), call: c.call('n1', 'round-0011', { n3: 'masked-input' }) }));
    expect(r).toBe('too-few-parties');
    expect(c.audit.get('n2')!.at(-1)).toMatchObject({ action: 'federation.message.refused', details: { step: 'unmask', reason: 'too-few-others' } });
    expect(events.map((e) => e.action)).not.toContain('federation.unmasked');
    // and a two-node round is refused at the start
    const two = cluster({ n1: partials.n1, n2: partials.n2 }, 2);
    expect(await reason(runRound({ roundId: 'round-0012', parties: ['n1', 'n2'], threshold: 2, job: JOB }, { nodeId: 'n1', audit: async () => {}, call: two.call('n1', 'round-0012') }))).toBe('too-few-parties');
    expect(two.audit.get('n2')!.at(-1)).toMatchObject({ details: { step: 'start', reason: 'too-few-others' } });
    // with every party alive, the default is met
    const all = cluster(partials, 2);
    const out = await runRound({ roundId: 'round-0013', parties: ['n1', 'n2', 'n3'], threshold: 2, job: JOB }, { nodeId: 'n1', audit: async () => {}, call: all.call('n1', 'round-0013') });
    expect([...out.totals]).toEqual(sum(['n1', 'n2', 'n3']));
  });

  it('fails below the threshold, audited, with nothing returned', async () => {
    const c = cluster(partials);
    const events: AuditEvent[] = [];
    const r = await reason(runRound({ roundId: 'round-0003', parties: ['n1', 'n2', 'n3'], threshold: 3, job: JOB }, { nodeId: 'n1', audit: async (e) => void events.push(e), call: c.call('n1', 'round-0003', { n2: 'masked-input' }) }));
    expect(r).toBe('too-few-parties');
    expect(events.at(-1)).toMatchObject({ action: 'federation.round.failed', outcome: 'error', details: { reason: 'too-few-parties', have: 2, need: 3 } });
  });

  it('refuses a party whose sum could overflow the modulus', async () => {
    const c = cluster({ n1: [2 ** 30, 0, 0, 0, 0, 0], n2: [0, 0, 0, 0, 0, 0] });
    const events: AuditEvent[] = [];
    const out = runRound({ roundId: 'round-0004', parties: ['n1', 'n2'], threshold: 2, job: JOB }, { nodeId: 'n1', audit: async (e) => void events.push(e), call: c.call('n1', 'round-0004') });
    expect(await reason(out)).toBe('too-few-parties');
    expect(c.audit.get('n1')!.at(-1)).toMatchObject({ action: 'federation.message.refused', details: { reason: 'quantization-overflow' } });
  });
});

describe('FederationParticipant', () => {
  const params = { roundId: 'round-0005', parties: ['n1', 'n2', 'n3'], threshold: 2, job: JOB };

  it('refuses a replayed start, steps from another node, unknown rounds and out-of-order steps', async () => {
    const c = cluster(partials);
    const p = c.participants.get('n2')!;
    await p.handle('n1', 'round-0005', 'start', params);
    expect(await reason(p.handle('n1', 'round-0005', 'start', params))).toBe('replayed-message');
    expect(await reason(p.handle('n3', 'round-0005', 'share-keys', {}))).toBe('not-the-coordinator');
    expect(await reason(p.handle('n1', 'round-0099', 'share-keys', {}))).toBe('unknown-round');
    expect(await reason(p.handle('n1', 'round-0005', 'unmask', { round: 2, session: 'round-0005', survivors: [1, 2] }))).toBe('out-of-order');
    expect(await reason(p.handle('n1', 'round-0006', 'start', { ...params, roundId: 'round-0007' }))).toBe('wrong-round');
    expect(await reason(p.handle('n1', 'round-0008', 'start', { ...params, roundId: 'round-0008', parties: ['n1', 'n3'] }))).toBe('not-a-party');
    expect(await reason(p.handle('n1', 'round-0009', 'start', { ...params, roundId: 'round-0009', job: { ...JOB, domain: [] } }))).toBe('malformed-message');
    expect(c.audit.get('n2')!.filter((e) => e.action === 'federation.message.refused')).toHaveLength(7);
  });

  it('once a round is over, its messages are late', async () => {
    const c = cluster(partials);
    await runRound({ ...params, roundId: 'round-0010' }, { nodeId: 'n1', audit: async () => {}, call: c.call('n1', 'round-0010') });
    expect(await reason(c.participants.get('n2')!.handle('n1', 'round-0010', 'unmask', {}))).toBe('late-message');
  });
});
