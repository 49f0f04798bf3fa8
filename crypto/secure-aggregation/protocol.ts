// Secure aggregation (Bonawitz et al., CCS 2017, semi-honest variant) as two pure state machines: the caller moves
// messages between them. All vectors are in Z_(2^k), k ≤ 32, held as Uint32Array (arithmetic mod 2^32, masked to k
// bits at the end, which is exact because 2^k divides 2^32).
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import {
  expandMask,
  gcmOpen,
  gcmSeal,
  generateX25519,
  hkdfSha256,
  secaggError,
  x25519Agree,
  x25519PrivateFromRaw,
  x25519PrivateRaw,
  x25519PublicFromRaw,
  x25519PublicRaw,
  type Sealed,
} from './primitives.ts';
import { combineShares, decodeShareValue, encodeShareValue, lagrangeAtZero, type Share, splitSecret, SHARE_BYTES } from './shamir.ts';

export interface SecAggParams {
  /** unique per aggregation: salts every derived key, so messages of one session are useless in another */
  session: string;
  /** the party ids expected (positive integers, distinct) */
  parties: readonly number[];
  /** Shamir threshold t: any t survivors can unmask; fewer than t learn nothing and the run aborts */
  threshold: number;
  /** aggregation modulus 2^bits, bits ≤ 32 */
  bits: number;
  /** vector length */
  length: number;
}

export interface AdvertiseKeys {
  round: 0;
  session: string;
  from: number;
  /** X25519 key for encrypting shares */
  cPk: Uint8Array;
  /** X25519 key for pairwise masks */
  sPk: Uint8Array;
}
export interface KeyDirectory {
  round: 0;
  session: string;
  parties: { id: number; cPk: Uint8Array; sPk: Uint8Array }[];
}
export interface ShareKeys {
  round: 1;
  session: string;
  from: number;
  shares: ({ to: number } & Sealed)[];
}
export interface ShareDelivery {
  round: 1;
  session: string;
  to: number;
  shares: ({ from: number } & Sealed)[];
}
export interface MaskedInput {
  round: 2;
  session: string;
  from: number;
  masked: Uint32Array;
}
export interface SurvivorList {
  round: 2;
  session: string;
  survivors: number[];
}
export interface UnmaskShares {
  round: 3;
  session: string;
  from: number;
  /** shares of the pairwise-mask private key of each party that dropped after round 1 */
  keyShares: { of: number; share: Uint8Array }[];
  /** shares of the self-mask seed of each survivor */
  seedShares: { of: number; share: Uint8Array }[];
}
export type SecAggClientMessage = AdvertiseKeys | ShareKeys | MaskedInput | UnmaskShares;

const enc = new TextEncoder();
const ROUND_NAMES = ['advertise-keys', 'share-keys', 'masked-input', 'unmasking'] as const;

function pairInfo(label: string, a: number, b: number): Uint8Array {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return enc.encode(`secagg/v1/${label}/${lo}/${hi}`);
}

/** the pairwise mask seed both ends derive: HKDF-SHA256(X25519(s_u, s_v), salt = session, info = label ‖ ids) */
export function pairwiseSeed(priv: KeyObject, peerPublic: Uint8Array | KeyObject, session: string, a: number, b: number): Uint8Array {
  return hkdfSha256(x25519Agree(priv, peerPublic), enc.encode(session), pairInfo('pairwise-mask', a, b), 32);
}

function selfMaskSeed(b: Uint8Array, session: string, id: number): Uint8Array {
  return hkdfSha256(b, enc.encode(session), enc.encode(`secagg/v1/self-mask/${id}`), 32);
}

function shareAad(session: string, from: number, to: number): Uint8Array {
  return enc.encode(`secagg/v1/share/${session}/${from}->${to}`);
}

/** adds sign·PRG(seed) into acc, mod 2^32 */
function addMask(acc: Uint32Array, seed: Uint8Array, sign: 1 | -1): void {
  const m = expandMask(seed, acc.length);
  if (sign === 1) for (let i = 0; i < acc.length; i++) acc[i] = (acc[i]! + m[i]!) >>> 0;
  else for (let i = 0; i < acc.length; i++) acc[i] = (acc[i]! - m[i]!) >>> 0;
}

/** p_{u,v} enters y_u with + when u < v and − when u > v, so the pair cancels in y_u + y_v */
function pairSign(u: number, v: number): 1 | -1 {
  return u < v ? 1 : -1;
}

export function validateParams(p: SecAggParams): void {
  const bad = (m: string) => secaggError('VALIDATION_FAILED', 'bad-parameters', m);
  if (typeof p.session !== 'string' || p.session.length === 0 || p.session.length > 256) throw bad('session must be a non-empty string');
  const ids = new Set(p.parties);
  if (ids.size !== p.parties.length || p.parties.some((id) => !Number.isInteger(id) || id < 1 || id >= 2 ** 31))
    throw bad('party ids must be distinct integers in [1, 2^31)');
  if (!Number.isInteger(p.threshold) || p.threshold < 2 || p.threshold > p.parties.length)
    throw bad(`threshold must be between 2 and the number of parties (${p.parties.length})`);
  if (!Number.isInteger(p.bits) || p.bits < 2 || p.bits > 32) throw bad('bits must be 2..32');
  if (!Number.isInteger(p.length) || p.length < 1 || p.length > 1 << 26) throw bad('length must be 1..2^26');
}

function checkSession(expected: string, got: unknown): void {
  if (got !== expected) throw secaggError('VALIDATION_FAILED', 'wrong-session', 'message belongs to another aggregation session');
}

function tooFew(what: string, have: number, need: number) {
  return secaggError('CONFLICT', 'too-few-parties', `only ${have} ${what}; the threshold is ${need}`, { have, need });
}

/** One party. Methods must be called in order, once each. */
export class SecAggClient {
  private round = 0;
  private readonly c = generateX25519();
  private readonly s = generateX25519();
  private readonly b = new Uint8Array(randomBytes(32));
  private directory = new Map<number, { cPk: Uint8Array; sPk: Uint8Array; cKey: KeyObject; sKey: KeyObject }>();
  private shareKeyCache = new Map<number, Uint8Array>();
  private u2 = new Set<number>();
  private received = new Map<number, { sShare: Uint8Array; bShare: Uint8Array }>();

  constructor(
    readonly id: number,
    readonly params: SecAggParams,
  ) {
    validateParams(params);
    if (!params.parties.includes(id)) throw secaggError('VALIDATION_FAILED', 'unknown-party', `party ${id} is not in the session`);
  }

  private step(expected: number): void {
    if (this.round !== expected)
      throw secaggError('CONFLICT', 'out-of-order', `client is in round ${this.round} (${ROUND_NAMES[this.round] ?? 'done'}), not ${expected}`);
    this.round++;
  }

  /** round 0: publish two X25519 public keys */
  advertiseKeys(): AdvertiseKeys {
    this.step(0);
    return { round: 0, session: this.params.session, from: this.id, cPk: this.c.publicKey, sPk: this.s.publicKey };
  }

  private shareKey(peer: number): Uint8Array {
    let k = this.shareKeyCache.get(peer);
    if (!k) {
      const peerC = this.directory.get(peer)!.cKey;
      k = hkdfSha256(x25519Agree(this.c.privateKey, peerC), enc.encode(this.params.session), pairInfo('share-encryption', this.id, peer), 32);
      this.shareKeyCache.set(peer, k);
    }
    return k;
  }

  /** round 1: Shamir-share s_u and b_u among the advertised parties, each share AES-GCM-encrypted to its holder */
  shareKeys(dir: KeyDirectory): ShareKeys {
    checkSession(this.params.session, dir.session);
    if (dir.round !== 0) throw secaggError('CONFLICT', 'wrong-round', 'expected the round-0 key directory');
    this.step(1);
    const allowed = new Set(this.params.parties);
    for (const p of dir.parties) {
      if (!allowed.has(p.id)) throw secaggError('VALIDATION_FAILED', 'unknown-party', `directory names unknown party ${p.id}`);
      if (this.directory.has(p.id)) throw secaggError('VALIDATION_FAILED', 'duplicate-party', `directory names party ${p.id} twice`);
      this.directory.set(p.id, { cPk: p.cPk, sPk: p.sPk, cKey: x25519PublicFromRaw(p.cPk), sKey: x25519PublicFromRaw(p.sPk) });
    }
    const me = this.directory.get(this.id);
    if (!me || !bytesEqual(me.cPk, this.c.publicKey) || !bytesEqual(me.sPk, this.s.publicKey))
      throw secaggError('VALIDATION_FAILED', 'bad-directory', 'directory does not carry this party’s own keys');
    if (this.directory.size < this.params.threshold) throw tooFew('parties advertised keys', this.directory.size, this.params.threshold);
    const ids = [...this.directory.keys()];
    const sShares = splitSecret(x25519PrivateRaw(this.s.privateKey), ids, this.params.threshold);
    const bShares = splitSecret(this.b, ids, this.params.threshold);
    const shares: ShareKeys['shares'] = [];
    for (let i = 0; i < ids.length; i++) {
      const to = ids[i]!;
      const plain = new Uint8Array(2 * SHARE_BYTES);
      plain.set(encodeShareValue(sShares[i]!.y), 0);
      plain.set(encodeShareValue(bShares[i]!.y), SHARE_BYTES);
      if (to === this.id) {
        this.received.set(to, { sShare: plain.subarray(0, SHARE_BYTES), bShare: plain.subarray(SHARE_BYTES) });
        continue;
      }
      shares.push({ to, ...gcmSeal(this.shareKey(to), plain, shareAad(this.params.session, this.id, to)) });
    }
    return { round: 1, session: this.params.session, from: this.id, shares };
  }

  /** round 2: decrypt the shares addressed here and send y_u = x_u + PRG(b_u) + Σ ±PRG(s_uv) mod 2^k */
  maskedInput(delivery: ShareDelivery, input: Uint32Array): MaskedInput {
    checkSession(this.params.session, delivery.session);
    if (delivery.round !== 1 || delivery.to !== this.id) throw secaggError('CONFLICT', 'wrong-round', 'expected this party’s round-1 share delivery');
    if (!(input instanceof Uint32Array) || input.length !== this.params.length)
      throw secaggError('VALIDATION_FAILED', 'bad-input', `input must be a Uint32Array of length ${this.params.length}`);
    this.step(2);
    this.u2 = new Set([this.id]);
    for (const sh of delivery.shares) {
      if (!this.directory.has(sh.from) || sh.from === this.id)
        throw secaggError('VALIDATION_FAILED', 'unknown-party', `share from party ${sh.from}, which did not advertise keys`);
      if (this.u2.has(sh.from)) throw secaggError('CONFLICT', 'replayed-message', `two shares from party ${sh.from}`);
      const plain = gcmOpen(this.shareKey(sh.from), sh, shareAad(this.params.session, sh.from, this.id));
      if (plain.length !== 2 * SHARE_BYTES) throw secaggError('VALIDATION_FAILED', 'bad-share', 'decrypted share has the wrong size');
      this.received.set(sh.from, { sShare: plain.subarray(0, SHARE_BYTES), bShare: plain.subarray(SHARE_BYTES) });
      this.u2.add(sh.from);
    }
    if (this.u2.size < this.params.threshold) throw tooFew('parties shared keys', this.u2.size, this.params.threshold);
    const mask = (2 ** this.params.bits - 1) >>> 0;
    const y = new Uint32Array(this.params.length);
    for (let i = 0; i < y.length; i++) {
      if (input[i]! > mask) throw secaggError('VALIDATION_FAILED', 'bad-input', `input element ${i} exceeds 2^${this.params.bits}`);
      y[i] = input[i]!;
    }
    addMask(y, selfMaskSeed(this.b, this.params.session, this.id), 1);
    for (const v of this.u2) {
      if (v === this.id) continue;
      addMask(y, pairwiseSeed(this.s.privateKey, this.directory.get(v)!.sKey, this.params.session, this.id, v), pairSign(this.id, v));
    }
    if (this.params.bits < 32) for (let i = 0; i < y.length; i++) y[i] = (y[i]! & mask) >>> 0;
    return { round: 2, session: this.params.session, from: this.id, masked: y };
  }

  /**
   * round 3: for each party of U2 that is not in the survivor list, its s-share; for each survivor, its b-share.
   * Refuses lists with fewer than t survivors or naming parties outside U2, so no party ever gets both shares revealed.
   */
  unmask(list: SurvivorList): UnmaskShares {
    checkSession(this.params.session, list.session);
    if (list.round !== 2) throw secaggError('CONFLICT', 'wrong-round', 'expected the round-2 survivor list');
    this.step(3);
    const u3 = new Set(list.survivors);
    if (u3.size !== list.survivors.length) throw secaggError('VALIDATION_FAILED', 'duplicate-party', 'survivor list repeats a party');
    for (const u of u3) if (!this.u2.has(u)) throw secaggError('VALIDATION_FAILED', 'unknown-party', `survivor ${u} did not share keys`);
    if (!u3.has(this.id)) throw secaggError('VALIDATION_FAILED', 'bad-survivors', 'survivor list omits this party');
    if (u3.size < this.params.threshold) throw tooFew('survivors', u3.size, this.params.threshold);
    const keyShares: UnmaskShares['keyShares'] = [];
    const seedShares: UnmaskShares['seedShares'] = [];
    for (const v of this.u2) {
      const r = this.received.get(v)!;
      if (u3.has(v)) seedShares.push({ of: v, share: r.bShare });
      else keyShares.push({ of: v, share: r.sShare });
    }
    return { round: 3, session: this.params.session, from: this.id, keyShares, seedShares };
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

/** The aggregator. `receive` validates every message; `close*` ends a round; `result` unmasks the sum. */
export class SecAggServer {
  private round = 0;
  private readonly allowed: Set<number>;
  private readonly keys = new Map<number, AdvertiseKeys>();
  private readonly shareMsgs = new Map<number, ShareKeys>();
  private readonly masked = new Map<number, Uint32Array>();
  private readonly unmaskMsgs = new Map<number, UnmaskShares>();
  private u1: number[] = [];
  private u2: number[] = [];
  private u3: number[] = [];

  constructor(readonly params: SecAggParams) {
    validateParams(params);
    this.allowed = new Set(params.parties);
  }

  /** the round whose messages are being collected (0..3), 4 when done */
  get currentRound(): number {
    return this.round;
  }

  /** accepts one client message for the current round; late, early, replayed, foreign and malformed ones throw */
  receive(msg: SecAggClientMessage): void {
    if (typeof msg !== 'object' || msg === null) throw secaggError('VALIDATION_FAILED', 'malformed', 'message must be an object');
    checkSession(this.params.session, msg.session);
    if (!this.allowed.has(msg.from)) throw secaggError('FORBIDDEN', 'unknown-party', `party ${String(msg.from)} is not in this session`);
    if (msg.round !== this.round) {
      const reason = msg.round < this.round ? 'late-message' : 'early-message';
      throw secaggError('CONFLICT', reason, `round-${msg.round} message from party ${msg.from} while the server is in round ${this.round}`, {
        party: msg.from,
        round: msg.round,
      });
    }
    const replay = () =>
      secaggError('CONFLICT', 'replayed-message', `second round-${msg.round} message from party ${msg.from}`, { party: msg.from, round: msg.round });
    const notInPrevious = () =>
      secaggError('FORBIDDEN', 'not-in-previous-round', `party ${msg.from} did not complete round ${msg.round - 1}`, { party: msg.from });
    switch (msg.round) {
      case 0:
        if (this.keys.has(msg.from)) throw replay();
        x25519PublicFromRaw(msg.cPk);
        x25519PublicFromRaw(msg.sPk);
        this.keys.set(msg.from, msg);
        return;
      case 1: {
        if (!this.u1.includes(msg.from)) throw notInPrevious();
        if (this.shareMsgs.has(msg.from)) throw replay();
        if (!Array.isArray(msg.shares)) throw secaggError('VALIDATION_FAILED', 'malformed', 'shares must be an array');
        const to = new Set(msg.shares.map((s) => s.to));
        const expected = this.u1.filter((id) => id !== msg.from);
        if (to.size !== msg.shares.length || expected.some((id) => !to.has(id)) || to.size !== expected.length)
          throw secaggError('VALIDATION_FAILED', 'malformed', `party ${msg.from} must send exactly one share to each other party`);
        this.shareMsgs.set(msg.from, msg);
        return;
      }
      case 2:
        if (!this.u2.includes(msg.from)) throw notInPrevious();
        if (this.masked.has(msg.from)) throw replay();
        if (!(msg.masked instanceof Uint32Array) || msg.masked.length !== this.params.length)
          throw secaggError('VALIDATION_FAILED', 'malformed', `masked input must be a Uint32Array of length ${this.params.length}`);
        this.masked.set(msg.from, msg.masked);
        return;
      case 3:
        if (!this.u3.includes(msg.from)) throw notInPrevious();
        if (this.unmaskMsgs.has(msg.from)) throw replay();
        this.unmaskMsgs.set(msg.from, msg);
        return;
    }
  }

  /** ends round 0: the key directory every client needs for round 1 */
  closeAdvertiseKeys(): KeyDirectory {
    this.close(0, this.keys.size, 'parties advertised keys');
    this.u1 = [...this.keys.keys()].sort((a, b) => a - b);
    return { round: 0, session: this.params.session, parties: this.u1.map((id) => ({ id, cPk: this.keys.get(id)!.cPk, sPk: this.keys.get(id)!.sPk })) };
  }

  /** ends round 1: for each party of U2, the shares addressed to it by the other members of U2 */
  closeShareKeys(): Map<number, ShareDelivery> {
    this.close(1, this.shareMsgs.size, 'parties shared keys');
    this.u2 = [...this.shareMsgs.keys()].sort((a, b) => a - b);
    const out = new Map<number, ShareDelivery>();
    for (const to of this.u2) out.set(to, { round: 1, session: this.params.session, to, shares: [] });
    for (const from of this.u2)
      for (const s of this.shareMsgs.get(from)!.shares) {
        const d = out.get(s.to);
        if (d) d.shares.push({ from, iv: s.iv, ct: s.ct });
      }
    return out;
  }

  /** ends round 2: the survivor list U3 */
  closeMaskedInput(): SurvivorList {
    this.close(2, this.masked.size, 'parties sent masked input');
    this.u3 = [...this.masked.keys()].sort((a, b) => a - b);
    return { round: 2, session: this.params.session, survivors: [...this.u3] };
  }

  private close(round: number, have: number, what: string): void {
    if (this.round !== round) throw secaggError('CONFLICT', 'out-of-order', `server is in round ${this.round}, cannot close round ${round}`);
    if (have < this.params.threshold) throw tooFew(what, have, this.params.threshold);
    this.round++;
  }

  /** ends round 3: removes the survivors' self-masks and the dropped parties' pairwise masks; the sum mod 2^k */
  result(): Uint32Array {
    this.close(3, this.unmaskMsgs.size, 'parties sent unmasking shares');
    const t = this.params.threshold;
    const u3 = new Set(this.u3);
    const dropped = this.u2.filter((v) => !u3.has(v));
    const responders = [...this.unmaskMsgs.keys()].sort((a, b) => a - b);
    // every reconstruction uses the same first t responders: one set of Lagrange coefficients
    const holders = responders.slice(0, t);
    const coefficients = lagrangeAtZero(holders);
    const collect = (of: number, kind: 'keyShares' | 'seedShares'): Share[] =>
      holders.map((h) => {
        const found = this.unmaskMsgs.get(h)![kind].find((s) => s.of === of);
        if (!found) throw secaggError('VALIDATION_FAILED', 'missing-share', `party ${h} sent no ${kind === 'keyShares' ? 'key' : 'seed'} share of party ${of}`);
        return { x: h, y: decodeShareValue(found.share) };
      });
    const sum = new Uint32Array(this.params.length);
    for (const u of this.u3) {
      const y = this.masked.get(u)!;
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i]! + y[i]!) >>> 0;
    }
    for (const u of this.u3) {
      const b = combineShares(collect(u, 'seedShares'), t, coefficients);
      addMask(sum, selfMaskSeed(b, this.params.session, u), -1);
    }
    for (const v of dropped) {
      const raw = combineShares(collect(v, 'keyShares'), t, coefficients);
      let priv: KeyObject;
      try {
        priv = x25519PrivateFromRaw(raw);
      } catch {
        throw secaggError('VALIDATION_FAILED', 'bad-share', `shares of party ${v}'s key do not reconstruct a key`);
      }
      const sPk = this.keys.get(v)!.sPk;
      const derived = x25519PublicRaw(createPublicKey(priv));
      if (!bytesEqual(derived, sPk)) throw secaggError('VALIDATION_FAILED', 'bad-share', `shares of party ${v}'s key are inconsistent`);
      // y_u of each survivor u carries sign(u, v)·PRG(s_uv); remove it
      for (const u of this.u3) {
        const seed = pairwiseSeed(priv, this.keys.get(u)!.sPk, this.params.session, u, v);
        addMask(sum, seed, pairSign(u, v) === 1 ? -1 : 1);
      }
    }
    if (this.params.bits < 32) {
      const mask = (2 ** this.params.bits - 1) >>> 0;
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i]! & mask) >>> 0;
    }
    return sum;
  }

  /** parties whose inputs are in the sum (U3) */
  get survivors(): readonly number[] {
    return this.u3;
  }
}
