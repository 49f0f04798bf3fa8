// The caller's IP address: the socket's peer, or — behind proxies that TRUST_PROXY names — the rightmost
// X-Forwarded-For hop that is not one of them. Every proxy appends the address it was connected from, so entries are
// only as trustworthy as the proxy that appended them: the leftmost entries are whatever the client chose to send.
// Reading from the right and stopping at the first hop that is not a trusted proxy gives the address the outermost
// trusted proxy saw, which a client cannot forge.
import { getConnInfo } from '@hono/node-server/conninfo';
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';

/** How the gateway is reached: directly (hops 0), through `hops` proxies, or through proxies at these addresses. */
export type TrustProxy = { hops: number } | { proxies: BlockList; described: string };

export const NO_PROXY: TrustProxy = { hops: 0 };

/** Parses TRUST_PROXY: 0/false, 1/true, a hop count, or a comma-separated list of proxy addresses and CIDR blocks. */
export function parseTrustProxy(value: string): TrustProxy | string {
  const text = value.trim();
  if (text === '' || text === '0' || text === 'false') return NO_PROXY;
  if (text === 'true') return { hops: 1 };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 20 ? { hops } : 'must be at most 20 proxies';
  }
  const proxies = new BlockList();
  for (const entry of text.split(',').map((e) => e.trim())) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= bits))) {
      return 'must be 0, 1, a number of proxies, or proxy addresses / CIDR blocks separated by commas';
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) proxies.addAddress(address!, type);
    else proxies.addSubnet(address!, Number(prefix), type);
  }
  return { proxies, described: text };
}

function normalize(address: string): string {
  // IPv4 peers on a dual-stack socket appear as ::ffff:a.b.c.d
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function trusted(proxies: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client of a chain of hops, nearest first: the socket peer, then X-Forwarded-For from right to left. Null when
 * the hop that should be the client is not an IP address (a proxy that sets the header wrongly): refusing an IP
 * allowlist is safer than crediting the proxy's own address.
 */
export function clientOf(hops: readonly string[], trust: TrustProxy): string | null {
  let index: number;
  if ('hops' in trust) {
    index = Math.min(trust.hops, hops.length - 1);
  } else {
    index = 0;
    while (index < hops.length - 1 && trusted(trust.proxies, hops[index]!)) index++;
  }
  const address = hops[index];
  return address !== undefined && isIP(address) ? address : null;
}

/** Returns null when unknown (e.g. in-process test requests without a socket). */
export function clientIp(c: Context, trust: TrustProxy): string | null {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  if (!peer) return null;
  const hops = [normalize(peer)];
  if (!('hops' in trust) || trust.hops > 0) {
    const forwarded = c.req.header('x-forwarded-for');
    if (forwarded) hops.push(...forwarded.split(',').map((h) => normalize(h.trim())).reverse());
  }
  return clientOf(hops, trust);
}
