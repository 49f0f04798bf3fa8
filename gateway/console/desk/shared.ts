// Small helpers the steward desk's pages share.
import type { Context } from 'hono';
import type { ConsoleEnv } from '../session.ts';

import { chinaMinute } from '../../ui/time.ts';

/** `2026-11-22 10:30` in China Standard Time (the column header says so); empty for none. */
export const day = (iso: string | null) => (iso ? chinaMinute(iso) : '');

/** The `status` query parameter when it is one of `allowed`. */
export function statusFilter<T extends string>(c: Context<ConsoleEnv>, allowed: readonly T[]): T | undefined {
  const s = c.req.query('status');
  return s && (allowed as readonly string[]).includes(s) ? (s as T) : undefined;
}
