// Security staff keep the operator whitelist: register operators, change their status, add and retire keys.
// Each change and its audit entry (before and after) commit together, or neither does.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, isNull, lt, type SQL } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { WHITELIST_RESOURCE } from '../../policies/index.ts';
import { licenses, operatorKeys, operators, recordChange, type Db, type OperatorStatus } from '../../store/index.ts';
import type { GatewayVerbContext } from '../verb-context.ts';
import { checkPublicJwk } from './public-jwk.ts';
import type { RegisterOperatorInput } from './schemas.ts';
import { operatorView, type OperatorView } from './views.ts';

/** Throws FORBIDDEN unless the policies let the actor manage the whitelist (security staff; the demo seed). */
export function requireWhitelistRight(ctx: GatewayVerbContext): Promise<void> {
  return ctx.authorize({ action: 'ManageWhitelist', resource: WHITELIST_RESOURCE });
}

/** Throws NOT_FOUND. */
export async function loadOperator(db: Db, id: string): Promise<OperatorView> {
  const [row] = await db.select().from(operators).where(eq(operators.id, id));
  if (!row) throw new AppError('NOT_FOUND', 'no operator with this id');
  const keys = await db.select().from(operatorKeys).where(eq(operatorKeys.operatorId, id)).orderBy(asc(operatorKeys.createdAt));
  const lics = await db.select().from(licenses).where(eq(licenses.operatorId, id)).orderBy(asc(licenses.createdAt));
  return operatorView(row, keys, lics);
}

/** Throws FORBIDDEN, VALIDATION_FAILED (bad key), CONFLICT (USCC already registered). */
export async function registerOperator(ctx: GatewayVerbContext, input: RegisterOperatorInput): Promise<OperatorView> {
  await requireWhitelistRight(ctx);
  const keys = await Promise.all(input.jwks.keys.map(checkPublicJwk));
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new AppError('VALIDATION_FAILED', 'key ids must be unique');
  const id = `op_${randomUUID()}`;
  return ctx.database.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(operators)
      .values({ id, name: input.name, uscc: input.uscc, contact: input.contact })
      .onConflictDoNothing()
      .returning();
    if (!inserted[0]) throw new AppError('CONFLICT', 'an operator with this unified social credit code is registered');
    await tx.insert(operatorKeys).values(keys.map((k) => ({ operatorId: id, kid: k.kid, alg: k.alg, jwk: k.jwk as Record<string, unknown> })));
    const after = await loadOperator(tx, id);
    await recordChange(ctx, tx, 'whitelist.operator.registered', `operator:${id}`, { before: null, after });
    return after;
  });
}

export interface OperatorPage {
  items: OperatorView[];
  nextCursor: string | null;
}

/** Newest first; the cursor is the id-ordered position. Throws FORBIDDEN. */
export async function listOperators(ctx: GatewayVerbContext, page: { limit: number; cursor?: string | undefined }): Promise<OperatorPage> {
  await requireWhitelistRight(ctx);
  const where: SQL | undefined = page.cursor ? lt(operators.id, page.cursor) : undefined;
  const rows = await ctx.database.db.select({ id: operators.id }).from(operators).where(where).orderBy(desc(operators.id)).limit(page.limit + 1);
  const items = await Promise.all(rows.slice(0, page.limit).map((r) => loadOperator(ctx.database.db, r.id)));
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Throws FORBIDDEN, NOT_FOUND. */
export async function showOperator(ctx: GatewayVerbContext, id: string): Promise<OperatorView> {
  await requireWhitelistRight(ctx);
  return loadOperator(ctx.database.db, id);
}

/**
 * Suspend, reinstate or revoke. Takes effect on live tokens at once: every operator request re-reads the status.
 * Revocation is final. Throws FORBIDDEN, NOT_FOUND, CONFLICT.
 */
export async function setOperatorStatus(
  ctx: GatewayVerbContext,
  id: string,
  input: { status: OperatorStatus; reason: string },
): Promise<OperatorView> {
  await requireWhitelistRight(ctx);
  return ctx.database.db.transaction(async (tx) => {
    const before = await loadOperator(tx, id);
    if (before.status === 'revoked' && input.status !== 'revoked') throw new AppError('CONFLICT', 'a revoked operator cannot be reinstated; register it again');
    await tx.update(operators).set({ status: input.status, statusReason: input.reason, updatedAt: new Date() }).where(eq(operators.id, id));
    const after = await loadOperator(tx, id);
    await recordChange(ctx, tx, `whitelist.operator.${input.status === 'active' ? 'reinstated' : input.status}`, `operator:${id}`, {
      reason: input.reason,
      before: { status: before.status },
      after: { status: after.status },
    });
    return after;
  });
}

/** Throws FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, CONFLICT (kid in use). */
export async function addOperatorKey(ctx: GatewayVerbContext, id: string, jwk: Record<string, unknown>): Promise<OperatorView> {
  await requireWhitelistRight(ctx);
  const key = await checkPublicJwk(jwk);
  return ctx.database.db.transaction(async (tx) => {
    const before = await loadOperator(tx, id);
    const inserted = await tx
      .insert(operatorKeys)
      .values({ operatorId: id, kid: key.kid, alg: key.alg, jwk: key.jwk as Record<string, unknown> })
      .onConflictDoNothing()
      .returning();
    if (!inserted[0]) throw new AppError('CONFLICT', 'this operator already has a key with this kid');
    const after = await loadOperator(tx, id);
    await recordChange(ctx, tx, 'whitelist.key.added', `operator:${id}`, { kid: key.kid, alg: key.alg, before: { keys: before.keys.length }, after: { keys: after.keys.length } });
    return after;
  });
}

/** Retired keys no longer verify client assertions. Throws FORBIDDEN, NOT_FOUND. */
export async function retireOperatorKey(ctx: GatewayVerbContext, id: string, kid: string): Promise<OperatorView> {
  await requireWhitelistRight(ctx);
  return ctx.database.db.transaction(async (tx) => {
    await loadOperator(tx, id);
    const updated = await tx
      .update(operatorKeys)
      .set({ retiredAt: new Date() })
      .where(and(eq(operatorKeys.operatorId, id), eq(operatorKeys.kid, kid), isNull(operatorKeys.retiredAt)))
      .returning();
    if (!updated[0]) throw new AppError('NOT_FOUND', 'no active key with this kid');
    const after = await loadOperator(tx, id);
    await recordChange(ctx, tx, 'whitelist.key.retired', `operator:${id}`, { kid, before: { retired: false }, after: { retired: true } });
    return after;
  });
}
