import type { Db, MemberRole } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { isBlocked } from './rules.ts';
import * as repo from './repository.ts';

/**
 * A user's standing at a lab: training records (who may self-operate an instrument, who may run it
 * for others) and violations (no-shows, late cancellations) with the block they lead to.
 */
export interface StandingDeps {
  db: Db;
  clock: () => Date;
}

const MANAGERS_AND_STAFF: readonly MemberRole[] = ['manager', 'staff'];

/** The lab's managers and staff (of a lab that is not suspended) manage standing; others get 403. */
function assertLabRole(actor: Actor | null, labId: string, roles: readonly MemberRole[] = MANAGERS_AND_STAFF) {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab' || m.orgStatus === 'suspended' || !roles.includes(m.role)) {
    throw forbidden(
      roles.length === 1
        ? `Only a ${roles[0]} of this lab may do this.`
        : 'Only managers and staff of this lab may do this.',
    );
  }
  return a;
}

function recordView(r: repo.TrainingRecordRow, now: Date) {
  const valid =
    r.revokedAt === null && r.qualifiedAt.getTime() <= now.getTime() && (r.expiresAt === null || r.expiresAt > now);
  return {
    id: r.id,
    lab: { id: r.labId, nameZh: r.labNameZh, nameEn: r.labNameEn },
    instrument: { id: r.instrumentId, nameZh: r.instrumentNameZh, nameEn: r.instrumentNameEn },
    user: { id: r.userId, name: r.userName, email: r.userEmail },
    qualifiedAt: r.qualifiedAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    note: r.note,
    valid,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function listLabTrainingRecords(
  deps: StandingDeps,
  actor: Actor | null,
  labId: string,
  query: { instrumentId?: string },
) {
  assertLabRole(actor, labId);
  const rows = await repo.trainingRecordsOfLab(deps.db, labId, query.instrumentId);
  const now = deps.clock();
  return { items: rows.map((r) => recordView(r, now)) };
}

export async function myTrainingRecords(deps: StandingDeps, actor: Actor | null) {
  const a = requireActor(actor);
  if (!a.userId) throw forbidden('Training records belong to people, not API tokens.');
  const rows = await repo.trainingRecordsOfUser(deps.db, a.userId);
  const now = deps.clock();
  return { items: rows.map((r) => recordView(r, now)) };
}

export async function createTrainingRecord(
  deps: StandingDeps,
  actor: Actor | null,
  labId: string,
  input: { instrumentId: string; email: string; qualifiedAt: string; expiresAt?: string | null; note?: string },
) {
  const a = assertLabRole(actor, labId);
  const qualifiedAt = new Date(input.qualifiedAt);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= qualifiedAt) {
    throw unprocessable('invalid_expiry', 'A record must expire after it was qualified.', [
      { path: '/expiresAt', code: 'invalid_expiry', message: 'Must be after qualifiedAt.' },
    ]);
  }
  if (!(await repo.instrumentOfLab(deps.db, input.instrumentId, labId))) {
    throw unprocessable('unknown_instrument', 'The instrument does not belong to this lab.', [
      { path: '/instrumentId', code: 'unknown_instrument', message: 'Not an instrument of this lab.' },
    ]);
  }
  // Only people the lab knows; anyone else — with an account or without — gets the same 404.
  const user = await repo.findKnownPersonByEmail(deps.db, labId, input.email.trim());
  if (!user) {
    throw new AppError(404, 'not_found', 'No one this lab knows has this email address.', [
      { path: '/email', code: 'unknown_person', message: 'No one this lab knows has this email address.' },
    ]);
  }
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const id = await repo.insertTrainingRecord(tx, {
      labId,
      instrumentId: input.instrumentId,
      userId: user.id,
      qualifiedAt,
      expiresAt,
      note: input.note?.trim() ?? '',
      recordedBy: a.userId,
    });
    const view = recordView((await repo.findTrainingRecord(tx, id))!, now);
    await recordAudit(tx, a, {
      at: now,
      action: 'training_record.create',
      entityType: 'training_record',
      entityId: id,
      orgId: labId,
      after: view,
    });
    return view;
  });
}

/** Revokes a record: 404 unless the caller belongs to its lab, 403 for the lab's operators. */
export async function revokeTrainingRecord(deps: StandingDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const record = await repo.findTrainingRecord(deps.db, id);
  const m = record ? membershipIn(a, record.labId) : undefined;
  if (!record || !m || m.orgKind !== 'lab') throw notFound('training record');
  assertLabRole(a, record.labId);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    if (!(await repo.revokeTrainingRecord(tx, id, now))) {
      throw conflict('already_revoked', 'This training record was already revoked.');
    }
    const after = recordView((await repo.findTrainingRecord(tx, id))!, now);
    await recordAudit(tx, a, {
      at: now,
      action: 'training_record.revoke',
      entityType: 'training_record',
      entityId: id,
      orgId: record.labId,
      before: recordView(record, now),
      after,
    });
    return after;
  });
}

async function standingsView(db: Db, labId: string, now: Date) {
  const settings = await repo.labSettings(db, labId);
  const standings = await repo.standingsOf(db, labId, now, settings.windowDays);
  return {
    settings,
    standings: standings.map((s) => ({
      user: { id: s.userId, name: s.name, email: s.email },
      count: s.count,
      blocked: isBlocked(s.count, settings.threshold),
      lastLiftedAt: s.lastLiftedAt?.toISOString() ?? null,
    })),
  };
}

export async function labViolations(deps: StandingDeps, actor: Actor | null, labId: string) {
  assertLabRole(actor, labId);
  const now = deps.clock();
  const { settings, standings } = await standingsView(deps.db, labId, now);
  const items = await repo.violationsOf(deps.db, labId, now, settings.windowDays);
  return {
    threshold: settings.threshold,
    windowDays: settings.windowDays,
    items: items.map((v) => ({
      id: v.id,
      user: { id: v.userId, name: v.name, email: v.email },
      bookingId: v.bookingId,
      kind: v.kind,
      occurredAt: v.occurredAt.toISOString(),
      note: v.note,
      counted: v.counted,
    })),
    standings,
  };
}

/** A lab manager lifts a user's block: violations up to now stop counting. Audited. */
export async function liftBlock(
  deps: StandingDeps,
  actor: Actor | null,
  labId: string,
  userId: string,
  reason: string,
) {
  const a = assertLabRole(actor, labId, ['manager']);
  // A lab lifts blocks of people it knows; for anyone else this is 404 and nothing is written.
  const user = await repo.findKnownPerson(deps.db, labId, userId);
  if (!user) throw notFound('user');
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const settings = await repo.labSettings(tx, labId);
    const before = await repo.countedViolations(tx, labId, userId, now, settings.windowDays);
    const lift = await repo.insertLift(tx, { labId, userId, liftedBy: a.userId, reason: reason.trim(), liftedAt: now });
    const standing = {
      user,
      count: await repo.countedViolations(tx, labId, userId, now, settings.windowDays),
      blocked: false,
      lastLiftedAt: now.toISOString(),
    };
    standing.blocked = isBlocked(standing.count, settings.threshold);
    await recordAudit(tx, a, {
      at: now,
      action: 'booking_block.lift',
      entityType: 'user',
      entityId: userId,
      orgId: labId,
      before: { count: before, blocked: isBlocked(before, settings.threshold) },
      after: { ...standing, liftId: lift.id, reason: lift.reason },
    });
    return standing;
  });
}
