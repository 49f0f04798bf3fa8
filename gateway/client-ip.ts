// The caller's IP address: the socket's peer, or the first X-Forwarded-For hop when TRUST_PROXY says a proxy sets it.
import { getConnInfo } from '@hono/node-server/conninfo';
import { isIP } from 'node:net';
import type { Context } from 'hono';

/** Returns null when unknown (e.g. in-process test requests without a socket). */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded && isIP(forwarded)) return forwarded;
  }
  try {
    const address = getConnInfo(c).remote.address;
    if (!address) return null;
    // IPv4 peers on a dual-stack socket appear as ::ffff:a.b.c.d
    return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  } catch {
    return null;
  }
}
