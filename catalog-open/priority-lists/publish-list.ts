// POST /steward/priority-lists/{year}/{department}/publish: the draft becomes the next immutable version.
import { and, desc, eq } from 'drizzle-orm';
import { canonicalJson } from '../../crypto/index.ts';
import { AppError } from '../../errors/index.ts';
import { actorLabel } from '../../policies/index.ts';
import { appendAudit, type AuditActor, type Db } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';
import { priorityListDrafts, priorityListVersions } from '../schema.ts';
import { auditActor, authorizeList, listResource } from './access.ts';
import { publishSchema } from './schemas.ts';

export interface PublishedVersion {
  year: number;
  departmentCode: string;
  department: string;
  version: number;
  items: number;
  changeNote: string | null;
  publishedBy: string;
  publishedAt: string;
}

interface Publication {
  year: number;
  departmentCode: string;
  changeNote: string | null;
  actor: AuditActor;
  publishedBy: string;
  ip: string | null;
  requestId: string | null;
}

/**
 * In the transaction `tx`: locks the draft, checks it against the latest version, inserts the next one and audits it.
 * The draft row lock serialises two publications of one list, so both cannot take the same version number.
 * Throws NOT_FOUND (no draft), CONFLICT (draft equals the latest version), VALIDATION_FAILED (correction without note).
 */
export async function publishDraft(tx: Db, p: Publication): Promise<PublishedVersion> {
  const key = and(eq(priorityListDrafts.year, p.year), eq(priorityListDrafts.departmentCode, p.departmentCode));
  const [draft] = await tx.select().from(priorityListDrafts).where(key).for('update');
  if (!draft) throw new AppError('NOT_FOUND', 'no draft to publish for this year and department');
  const [latest] = await tx
    .select()
    .from(priorityListVersions)
    .where(and(eq(priorityListVersions.year, p.year), eq(priorityListVersions.departmentCode, p.departmentCode)))
    .orderBy(desc(priorityListVersions.version))
    .limit(1);
  if (latest && canonicalJson(latest.items) === canonicalJson(draft.items)) {
    throw new AppError('CONFLICT', 'the draft equals the latest published version; change it before publishing');
  }
  // a published list is a public record: whoever reads version 2 must be able to learn why it differs from version 1
  if (latest && !p.changeNote) {
    throw new AppError('VALIDATION_FAILED', 'a correction of a published list needs a change note', {
      details: { issues: [{ path: 'changeNote', message: 'required from version 2 on' }] },
    });
  }
  const version = (latest?.version ?? 0) + 1;
  const publishedAt = new Date();
  await tx.insert(priorityListVersions).values({
    year: p.year,
    departmentCode: p.departmentCode,
    version,
    department: draft.department,
    items: draft.items,
    changeNote: p.changeNote,
    publishedBy: p.publishedBy,
    publishedAt,
  });
  await appendAudit(tx, {
    actor: p.actor,
    action: 'priority_list.published',
    resource: listResource(p.year, p.departmentCode),
    outcome: 'ok',
    ip: p.ip,
    requestId: p.requestId,
    details: { version, items: draft.items.length, changeNote: p.changeNote },
  });
  return {
    year: p.year,
    departmentCode: p.departmentCode,
    department: draft.department,
    version,
    items: draft.items.length,
    changeNote: p.changeNote,
    publishedBy: p.publishedBy,
    publishedAt: publishedAt.toISOString(),
  };
}

/** Throws NOT_FOUND (department or draft), FORBIDDEN, CONFLICT (nothing changed), VALIDATION_FAILED. */
export async function publishPriorityListVerb(ctx: VerbContext, input: { year: number; departmentCode: string; body: unknown }): Promise<PublishedVersion> {
  const db = ctx.database.db;
  await authorizeList(ctx, db, input.year, input.departmentCode);
  const parsed = publishSchema.safeParse(input.body ?? {});
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'invalid publication', {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
    });
  }
  return db.transaction(async (tx) => {
    return publishDraft(tx, {
      year: input.year,
      departmentCode: input.departmentCode,
      changeNote: parsed.data.changeNote ?? null,
      actor: auditActor(ctx),
      publishedBy: actorLabel(ctx.actor),
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
  });
}
