// Whether an IP address falls inside a licence's allowlist of CIDR blocks (Node's BlockList does the matching).
import { BlockList, isIP } from 'node:net';

const cache = new Map<string, BlockList>();

function blockListOf(cidrs: readonly string[]): BlockList {
  const key = cidrs.join(' ');
  let list = cache.get(key);
  if (!list) {
    list = new BlockList();
    for (const cidr of cidrs) {
      const [address, prefix] = cidr.split('/') as [string, string | undefined];
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) list.addAddress(address, family);
      else list.addSubnet(address, Number(prefix), family);
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, list);
  }
  return list;
}

export function ipAllowed(ip: string | null, cidrs: readonly string[]): boolean {
  if (!ip) return false;
  const family = isIP(ip);
  if (!family) return false;
  return blockListOf(cidrs).check(ip, family === 6 ? 'ipv6' : 'ipv4');
}
