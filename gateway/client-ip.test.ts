// The client behind proxies: the rightmost X-Forwarded-For hop that is not a trusted proxy. A client that sends its
// own X-Forwarded-For only adds entries to the left, which are never reached.
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { clientOf, parseTrustProxy, type TrustProxy } from './client-ip.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

const trust = (value: string) => parseTrustProxy(value) as TrustProxy;
// nearest first: the socket peer, then X-Forwarded-For read from the right
const hops = (peer: string, forwarded: string) => [peer, ...forwarded.split(',').map((h) => h.trim()).reverse()];

describe('clientOf', () => {
  it('ignores X-Forwarded-For without proxies', () => {
    expect(clientOf(hops('198.51.100.9', '203.0.113.5'), trust('0'))).toBe('198.51.100.9');
  });

  it('behind one proxy takes the hop it appended, not the one the client forged', () => {
    // the client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw
    expect(clientOf(hops('10.0.0.2', '1.2.3.4, 203.0.113.5'), trust('1'))).toBe('203.0.113.5');
  });

  it('behind two proxies skips the inner proxy’s hop', () => {
    expect(clientOf(hops('10.0.0.2', '1.2.3.4, 203.0.113.5, 10.0.0.3'), trust('2'))).toBe('203.0.113.5');
  });

  it('with proxy addresses stops at the first hop that is not a proxy', () => {
    const proxies = trust('10.0.0.0/8,2001:db8::/32');
    expect(clientOf(hops('10.0.0.2', '1.2.3.4, 203.0.113.5, 10.1.2.3, 2001:db8::7'), proxies)).toBe('203.0.113.5');
    // a direct client (not from a proxy) is the client, whatever it claims
    expect(clientOf(hops('198.51.100.9', '10.0.0.1'), proxies)).toBe('198.51.100.9');
  });

  it('gives no address when the hop that should be the client is not one (fails closed for IP allowlists)', () => {
    expect(clientOf(hops('10.0.0.2', 'unknown'), trust('1'))).toBeNull();
  });

  it('uses the farthest hop there is when there are fewer hops than proxies', () => {
    expect(clientOf(hops('10.0.0.2', '203.0.113.5'), trust('3'))).toBe('203.0.113.5');
  });
});

describe('the gateway behind a proxy', () => {
  it('rate-limits by the rightmost untrusted hop: a client rotating its own X-Forwarded-For gains nothing', async () => {
    const app = createApp({
      config: loadConfig({ TRUST_PROXY: '1' }),
      logger: createLogger('silent'),
      services: () => undefined,
      rateLimits: { perIp: { rate: 0.01, burst: 2 }, perPrincipal: { rate: 1, burst: 1 }, auth: { rate: 1, burst: 1 } },
    });
    const ask = (forged: string) =>
      app.request('/healthz', { headers: { 'x-forwarded-for': `${forged}, 203.0.113.5` } }, { incoming: { socket: { remoteAddress: '10.0.0.2' } } });
    const statuses = [];
    for (const forged of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) statuses.push((await ask(forged)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
