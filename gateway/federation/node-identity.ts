// A domain node's identity among its peers: its own ES256 key, and each peer's public keys PINNED in configuration
// (never fetched from a URL at run time). Messages between nodes are JWTs: alg pinned to ES256, iss = the sender's node
// id, aud = the receiver's, a short lifetime, a jti that a replay cache refuses the second time.
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { AppError } from '../../errors/index.ts';

export const FEDERATION_ALG = 'ES256';
/** lifetime of a signed message; a message older than this is late and refused */
export const MESSAGE_TTL_S = 60;
const CLOCK_TOLERANCE_S = 5;

const nodeIdSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, 'node ids are lower-case letters, digits, dots and dashes');
const publicJwkSchema = z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string().min(1), y: z.string().min(1), kid: z.string().min(1).max(100).optional() }).passthrough();

export const peerSchema = z
  .object({
    id: nodeIdSchema,
    url: z.url(),
    /** the peer's public keys (no private member allowed) */
    jwks: z.object({ keys: z.array(publicJwkSchema.refine((k) => !('d' in k), 'a pinned key must be public')).min(1).max(5) }),
    /** whether this peer may start rounds on this node (default true) */
    coordinator: z.boolean().default(true),
  })
  .strict();
export const peersSchema = z.array(peerSchema).max(100).refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, 'peer ids must be distinct');
export type PeerConfig = z.input<typeof peerSchema>;

interface Peer {
  id: string;
  url: string;
  coordinator: boolean;
  keys: JWTVerifyGetKey;
}

export interface NodeIdentity {
  nodeId: string;
  kid: string;
  privateKey: CryptoKey;
  /** what peers pin for this node */
  publicJwks: { keys: JWK[] };
  peers: ReadonlyMap<string, Peer>;
}

/** A fresh ES256 key pair as JWKs (private with `d`, and its public half), for configuration and tests. */
export async function generateNodeKey(kid: string = randomUUID()): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(FEDERATION_ALG, { extractable: true });
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: FEDERATION_ALG },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: FEDERATION_ALG, use: 'sig' },
  };
}

/** Throws AppError VALIDATION_FAILED naming the bad part (never key material). */
export async function createNodeIdentity(input: { nodeId: string; privateJwk: JWK | Record<string, unknown>; peers: readonly (PeerConfig | Record<string, unknown>)[] }): Promise<NodeIdentity> {
  const nodeId = nodeIdSchema.parse(input.nodeId);
  const parsed = peersSchema.safeParse(input.peers);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'federation peers are invalid', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) } });
  if (parsed.data.some((p) => p.id === nodeId)) throw new AppError('VALIDATION_FAILED', 'a node cannot be its own peer');
  const { d, kty, crv, x, y, kid: keyId } = input.privateJwk as JWK;
  if (kty !== 'EC' || crv !== 'P-256' || typeof d !== 'string' || typeof x !== 'string' || typeof y !== 'string')
    throw new AppError('VALIDATION_FAILED', 'the node key must be an EC P-256 private JWK');
  const kid = typeof keyId === 'string' ? keyId : nodeId;
  const privateKey = (await importJWK({ kty, crv, x, y, d }, FEDERATION_ALG)) as CryptoKey;
  const peers = new Map<string, Peer>(
    parsed.data.map((p) => [p.id, { id: p.id, url: p.url.replace(/\/+$/, ''), coordinator: p.coordinator, keys: createLocalJWKSet({ keys: p.jwks.keys.map((k) => ({ ...k, alg: FEDERATION_ALG })) as JWK[] }) }]),
  );
  return { nodeId, kid, privateKey, publicJwks: { keys: [{ kty, crv, x, y, kid, alg: FEDERATION_ALG, use: 'sig' }] }, peers };
}

/** What a message is about: bound into the signature so a message for one round or step is useless in another. */
export interface MessageSubject {
  roundId: string;
  step: string;
  kind: 'request' | 'reply';
  /** replies: the jti of the request answered */
  inReplyTo?: string;
}

export async function signMessage(identity: NodeIdentity, audience: string, subject: MessageSubject, body: unknown): Promise<{ token: string; jti: string }> {
  const jti = randomUUID();
  const token = await new SignJWT({ fed: subject, body: body as Record<string, unknown> })
    .setProtectedHeader({ alg: FEDERATION_ALG, kid: identity.kid, typ: 'fed+jwt' })
    .setIssuer(identity.nodeId)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${MESSAGE_TTL_S}s`)
    .setJti(jti)
    .sign(identity.privateKey);
  return { token, jti };
}

/** jtis seen while their message could still verify; a second sight is a replay. */
export class ReplayCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly max = 100_000) {}

  /** false when the jti was seen already (or the cache is full of live entries: refuse rather than forget) */
  accept(jti: string, expiresAtMs: number, now = Date.now()): boolean {
    if (this.seen.has(jti)) return false;
    if (this.seen.size >= this.max) for (const [k, exp] of this.seen) if (exp + CLOCK_TOLERANCE_S * 1000 < now) this.seen.delete(k);
    if (this.seen.size >= this.max) return false;
    this.seen.set(jti, expiresAtMs);
    return true;
  }
}

const refused = (reason: string, message: string, code: 'UNAUTHENTICATED' | 'CONFLICT' | 'FORBIDDEN' = 'UNAUTHENTICATED') => new AppError(code, message, { details: { reason } });

/**
 * Verifies a peer's message: a pinned peer as issuer, this node as audience, ES256 only, fresh, never seen, and about
 * what the receiver expects. Throws AppError UNAUTHENTICATED (unknown peer, bad signature, expired = late),
 * CONFLICT (replayed, another round or step). Never echoes the token.
 */
export async function verifyMessage(identity: NodeIdentity, replay: ReplayCache, token: string, expect: MessageSubject & { from?: string }): Promise<{ from: string; body: unknown; jti: string }> {
  let unverified;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw refused('malformed-token', 'the message is not a JWT');
  }
  const peer = typeof unverified.iss === 'string' ? identity.peers.get(unverified.iss) : undefined;
  if (!peer) throw refused('unknown-peer', 'the message comes from a node that is not a pinned peer');
  if (expect.from !== undefined && peer.id !== expect.from) throw refused('wrong-peer', 'the reply comes from another node');
  let payload;
  try {
    ({ payload } = await jwtVerify(token, peer.keys, {
      algorithms: [FEDERATION_ALG],
      issuer: peer.id,
      audience: identity.nodeId,
      requiredClaims: ['iat', 'exp', 'jti'],
      maxTokenAge: `${MESSAGE_TTL_S + CLOCK_TOLERANCE_S}s`,
      clockTolerance: CLOCK_TOLERANCE_S,
      typ: 'fed+jwt',
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw refused('late-message', 'the message has expired');
    if (err instanceof joseErrors.JWTClaimValidationFailed) throw refused('bad-claims', `the message's ${err.claim} claim is not acceptable`);
    throw refused('bad-signature', 'the message signature does not verify against the pinned keys');
  }
  if (payload.exp! - payload.iat! > MESSAGE_TTL_S + CLOCK_TOLERANCE_S) throw refused('bad-claims', 'the message lives too long');
  const fed = payload.fed as Partial<MessageSubject> | undefined;
  if (!fed || fed.roundId !== expect.roundId || fed.step !== expect.step || fed.kind !== expect.kind || (expect.inReplyTo !== undefined && fed.inReplyTo !== expect.inReplyTo))
    throw refused('wrong-round', 'the message belongs to another round or step', 'CONFLICT');
  if (!replay.accept(payload.jti!, payload.exp! * 1000)) throw refused('replayed-message', 'the message was received before', 'CONFLICT');
  return { from: peer.id, body: payload.body, jti: payload.jti! };
}

/** The peer's base URL and whether it may coordinate, or undefined. */
export function peerOf(identity: NodeIdentity, id: string): { url: string; coordinator: boolean } | undefined {
  const p = identity.peers.get(id);
  return p ? { url: p.url, coordinator: p.coordinator } : undefined;
}
