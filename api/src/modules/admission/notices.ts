import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { notifyUsers } from '../../lib/notify.ts';
import { labForAdmin } from './access.ts';
import type { AdmissionDeps } from './deps.ts';
import { noticeIsOver } from './notice-period.ts';
import { platformAdminsFor } from './notify.ts';
import * as repo from './repository.ts';

/**
 * The public notices (公示), current and past: who, where, what it applies to provide and with which
 * qualifications, and the period. Nothing private: no credit code, legal representative, address,
 * self-evaluation, certificate file, objection or decision reason.
 */
export async function listNotices(deps: AdmissionDeps, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor(query.cursor, 'newest', 'timestamptz') : undefined;
  const rows = await repo.publicNotices(deps.db, limit, after ? { key: String(after.key), id: after.id } : undefined);
  const now = deps.clock();
  const items = rows.slice(0, limit).map((r) => {
    const startsAt = new Date(r.noticeStartsAt);
    const endsAt = new Date(r.noticeEndsAt);
    return {
      id: r.id,
      kind: r.kind,
      labNameZh: r.labNameZh,
      labNameEn: r.labNameEn,
      regionCode: r.regionCode,
      regionZh: r.regionZh,
      regionEn: r.regionEn,
      cityZh: r.cityZh,
      cityEn: r.cityEn,
      offering: r.application?.offering ?? '',
      qualifications: (r.application?.certificates ?? []).map((c) => ({
        kind: c.kind,
        number: c.number,
        validUntil: c.validUntil,
        scopeSummary: c.scopeSummary,
      })),
      noticeStartsAt: startsAt.toISOString(),
      noticeEndsAt: endsAt.toISOString(),
      open: startsAt <= now && !noticeIsOver(endsAt, now),
    };
  });
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor('newest', last.noticeStartsAt, last.id) : null,
  };
}

/** Anyone, signed in or not, objects to a notice while it runs; the region's admins are told. */
export async function fileObjection(
  deps: AdmissionDeps,
  actor: Actor | null,
  caseId: string,
  input: { reason: string; contact: string },
) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const c = await repo.findCase(tx, caseId);
    if (!c || !c.noticeStartsAt) throw notFound('notice');
    if (c.status !== 'on_notice' || noticeIsOver(c.noticeEndsAt, now)) {
      throw new AppError(409, 'notice_closed', 'This notice is over; objections are no longer taken.');
    }
    const objection = await repo.insertObjection(tx, {
      caseId,
      reason: input.reason.trim(),
      contact: input.contact.trim(),
      filedBy: actor?.userId ?? null,
      filedAt: now,
    });
    await recordAudit(tx, actor, {
      at: now,
      action: 'admission.objection_filed',
      entityType: 'admission_objection',
      entityId: objection.id,
      orgId: c.labId,
      after: { caseId },
    });
    const lab = await repo.labOfCase(tx, caseId);
    await notifyUsers(
      tx,
      await platformAdminsFor(tx, lab.regionCode),
      {
        kind: 'admission_objection',
        titleZh: `公示异议：${lab.nameZh}`,
        titleEn: `An objection to the notice of ${lab.nameEn || lab.nameZh}`,
        link: `/admin/labs/${c.labId}`,
      },
      `objection:${objection.id}`,
      now,
    );
    return { id: objection.id, filedAt: objection.filedAt.toISOString() };
  });
}

/** The admin records how an objection was handled (it may be updated; each write is audited). */
export async function handleObjection(
  deps: AdmissionDeps,
  actor: Actor | null,
  objectionId: string,
  handling: string,
  requestId?: string,
) {
  const found = await repo.findObjection(deps.db, objectionId);
  if (!found) throw notFound('objection');
  // Outside the admin's region answers as not found (labForAdmin), like the lab itself.
  const { a } = await labForAdmin(deps, actor, found.labId);
  const row = await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const updated = await repo.recordHandling(tx, objectionId, handling.trim(), a.userId, now);
    await recordAudit(tx, a, {
      at: now,
      action: 'admission.objection_handled',
      entityType: 'admission_objection',
      entityId: objectionId,
      orgId: found.labId,
      before: { handling: found.objection.handling },
      after: { handling: updated.handling },
      requestId,
    });
    return updated;
  });
  const c = await repo.findCase(deps.db, row.caseId);
  return {
    id: row.id,
    caseId: row.caseId,
    caseKind: c!.kind,
    reason: row.reason,
    contact: row.contact,
    filedAt: row.filedAt.toISOString(),
    handling: row.handling,
    handledAt: row.handledAt?.toISOString() ?? null,
  };
}
