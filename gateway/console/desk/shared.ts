// Small helpers the steward desk's pages share.
import type { Context } from 'hono';
import type { ConsoleEnv } from '../session.ts';

/** `2026-11-22 10:30` from an ISO timestamp; empty for none. */
export const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

/** The `status` query parameter when it is one of `allowed`. */
export function statusFilter<T extends string>(c: Context<ConsoleEnv>, allowed: readonly T[]): T | undefined {
  const s = c.req.query('status');
  return s && (allowed as readonly string[]).includes(s) ? (s as T) : undefined;
}
