// Riding out a dropped connection: which failures are worth another try (the network, a proxy in front of a restarting
// gateway), and capped exponential back-off with jitter for a bounded time. Only for requests that may be repeated
// without effect (GET, and a token request: each carries a fresh assertion); a job submission is never repeated
// unless its connection was refused, that is nothing was sent.
import { PlatformError } from './operator-client.ts';

/** Socket-level codes of Node and undici that say "the connection failed or broke", not "the server said no". */
const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);
/** Answers of a gateway that is restarting or of a proxy that cannot reach it; 429: rate limited, come back later. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);

function codeOf(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  }
  return undefined;
}

/** Why `err` is a passing failure ("ECONNRESET", "HTTP 503", "socket hang up"), or null when it is not one. */
export function transientReason(err: unknown): string | null {
  if (err instanceof PlatformError) return RETRY_STATUSES.has(err.status) ? `HTTP ${err.status}` : null;
  const code = codeOf(err);
  if (code) return code;
  const message = err instanceof Error ? err.message : '';
  if (/socket hang up/i.test(message)) return 'socket hang up';
  // undici: "fetch failed" (no answer) and "terminated" (the answer broke off) without a cause that names another
  // failure (ENOTFOUND: a wrong host name does not heal)
  const cause = (err as { cause?: { code?: unknown } }).cause;
  if (err instanceof TypeError && /^(fetch failed|terminated)$/.test(message) && typeof cause?.code !== 'string') return message;
  return null;
}

/** The connection was refused: nothing reached the server, so even a submission may be sent again. */
export function connectionRefused(err: unknown): boolean {
  return codeOf(err) === 'ECONNREFUSED';
}

export interface RetryOptions {
  /** how long to keep trying after the first failure, ms (default 5 minutes) */
  maxMs?: number;
  /** the first wait, ms (default 500); doubled after each failure up to capMs (default 15 s) */
  baseMs?: number;
  capMs?: number;
  /** which failures to retry (default transientReason) */
  classify?: (err: unknown) => string | null;
  /** told before each wait */
  onRetry?: (info: { reason: string; attempt: number; delayMs: number; elapsedMs: number }) => void;
  /** told once a call succeeds after failures */
  onRecovered?: (info: { attempts: number; elapsedMs: number }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** The connection stayed down for the whole retry window; `cause` is the last failure. */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
  constructor(
    readonly reason: string,
    readonly elapsedMs: number,
    options: { cause: unknown },
  ) {
    super(`connection lost (${reason}) for ${Math.round(elapsedMs / 1000)} s; gave up`, options);
  }
}

export const DEFAULT_RETRY_MS = 5 * 60_000;

/** The wait before retry `attempt` (1, 2, ...): half of min(cap, base·2^(attempt-1)) plus a random half ("equal jitter"). */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Calls `fn` until it succeeds, it fails for a reason not worth retrying (thrown as is), or the window closes. */
export async function retrying<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxMs = DEFAULT_RETRY_MS, baseMs = 500, capMs = 15_000, classify = transientReason } = options;
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  let first: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const value = await fn();
      if (first !== undefined) options.onRecovered?.({ attempts: attempt, elapsedMs: now() - first });
      return value;
    } catch (err) {
      const reason = classify(err);
      if (reason === null) throw err;
      first ??= now();
      const elapsedMs = now() - first;
      const delayMs = Math.min(backoffMs(attempt, baseMs, capMs, random), maxMs - elapsedMs);
      if (delayMs <= 0) throw new ConnectionLostError(reason, elapsedMs, { cause: err });
      options.onRetry?.({ reason, attempt, delayMs, elapsedMs });
      await sleep(delayMs);
    }
  }
}
