// Which failures are retried, how long the waits are, and that the window is bounded (clock and sleep are simulated;
// the real network is in reattach.test.ts).
import { describe, expect, it } from 'vitest';
import { PlatformError } from './operator-client.ts';
import { backoffMs, connectionRefused, ConnectionLostError, retrying, transientReason } from './retry.ts';

const netError = (code: string, message = 'fetch failed') => Object.assign(new TypeError(message), { cause: Object.assign(new Error(code), { code }) });

describe('transientReason', () => {
  it('retries broken connections and a restarting gateway, not refusals or bugs', () => {
    expect(transientReason(netError('ECONNRESET'))).toBe('ECONNRESET');
    expect(transientReason(netError('ECONNREFUSED'))).toBe('ECONNREFUSED');
    expect(transientReason(netError('UND_ERR_SOCKET', 'terminated'))).toBe('UND_ERR_SOCKET');
    expect(transientReason(new TypeError('fetch failed'))).toBe('fetch failed');
    expect(transientReason(new Error('socket hang up'))).toBe('socket hang up');
    for (const status of [502, 503, 504, 429]) expect(transientReason(new PlatformError(status, 'X', 'x', undefined))).toBe(`HTTP ${status}`);
    for (const status of [400, 401, 403, 404, 422, 500]) expect(transientReason(new PlatformError(status, 'X', 'x', undefined))).toBeNull();
    expect(transientReason(netError('ENOTFOUND'))).toBeNull(); // a wrong host name does not heal
    expect(transientReason(new SyntaxError('Unexpected token'))).toBeNull();
    expect(transientReason(new TypeError('x is not a function'))).toBeNull();
  });

  it('knows a refused connection sent nothing', () => {
    expect(connectionRefused(netError('ECONNREFUSED'))).toBe(true);
    expect(connectionRefused(netError('ECONNRESET'))).toBe(false);
  });
});

describe('retrying', () => {
  function clock() {
    let t = 0;
    const waits: number[] = [];
    return { now: () => t, sleep: async (ms: number) => void (waits.push(ms), (t += ms)), waits };
  }

  it('waits capped, doubling, jittered intervals and returns the first success', async () => {
    const c = clock();
    let calls = 0;
    const told: string[] = [];
    const value = await retrying(
      async () => {
        if (++calls < 8) throw netError('ECONNRESET');
        return 'ok';
      },
      { ...c, baseMs: 1000, capMs: 8000, random: () => 0.5, onRetry: ({ reason, delayMs }) => told.push(`${reason} ${delayMs}`), onRecovered: ({ attempts }) => told.push(`back ${attempts}`) },
    );
    expect(value).toBe('ok');
    expect(c.waits).toEqual([750, 1500, 3000, 6000, 6000, 6000, 6000]);
    expect(told.at(-1)).toBe('back 8');
    // jitter: between half and all of the ceiling
    expect(backoffMs(3, 1000, 8000, () => 0)).toBe(2000);
    expect(backoffMs(3, 1000, 8000, () => 1)).toBe(4000);
    expect(backoffMs(30, 1000, 8000, () => 1)).toBe(8000);
  });

  it('gives up when the window closes, with the last reason; a failure not worth retrying is thrown at once', async () => {
    const c = clock();
    const err = await retrying(() => Promise.reject(new PlatformError(503, 'UNAVAILABLE', 'x', undefined)), { ...c, maxMs: 20_000, baseMs: 1000, capMs: 4000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect((err as ConnectionLostError).reason).toBe('HTTP 503');
    expect(c.waits.reduce((a, b) => a + b, 0)).toBe(20_000);
    const c2 = clock();
    const refused = new PlatformError(403, 'FORBIDDEN', 'no', undefined);
    await expect(retrying(() => Promise.reject(refused), c2)).rejects.toBe(refused);
    expect(c2.waits).toEqual([]);
    // maxMs 0: no retrying at all
    await expect(retrying(() => Promise.reject(netError('ECONNRESET')), { ...clock(), maxMs: 0 })).rejects.toBeInstanceOf(ConnectionLostError);
  });
});
