// maskAddress: an address truncated to its county-level district or its township/street.

import { truncateAddress } from '../regions.ts';

export const MASKED_ADDRESS = '*';

/**
 * Truncates an address to the division names it starts with, written in full: `district` keeps province, city and
 * county (`广东省深圳市南山区`), `street` also the township or sub-district (`广东省深圳市南山区粤海街道`), or the district
 * when no known street follows. Road, number, estate, building and flat are dropped.
 * Fails closed: an address that does not start with a known division name is fully masked (`*`) rather than guessed at.
 */
export function maskAddress(address: string, keep: 'district' | 'street'): string {
  return truncateAddress(address, keep) ?? MASKED_ADDRESS;
}
