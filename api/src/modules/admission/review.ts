import type { AdmissionCase, Organisation, Tx } from '@qihub/db';
import { platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { enqueueAfterCommit, recordAudit } from '../../lib/audit.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { AppError, conflict, forbidden } from '../../lib/errors.ts';
import { regionPrefix } from '../../lib/region.ts';
import { labForAdmin, labForPlatformReader } from './access.ts';
import { recordAdmittedLab } from './admitted-records.ts';
import { caseView } from './application.ts';
import { CHECKLIST } from './checklist.ts';
import type { AdmissionDeps } from './deps.ts';
import { noticeEndText, noticeEndsAt, noticeIsOver } from './notice-period.ts';
import { notifyLab } from './notify.ts';
import * as repo from './repository.ts';

type LabStatus = Organisation['status'];

/** Platform staff see the labs of their own region and below (province → city → station). */
export async function listLabsForPlatform(
  deps: AdmissionDeps,
  actor: Actor | null,
  query: { status?: LabStatus; limit?: number; cursor?: string },
) {
  const a = requireActor(actor);
  const scopes = platformScopes(a, ['admin', 'service_officer']);
  if (scopes.length === 0) throw forbidden('Only platform staff can review providers.');
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor(query.cursor, 'newest', 'timestamptz') : undefined;
  const rows = await repo.labsInRegions(
    deps.db,
    [...new Set(scopes.map(regionPrefix))],
    query.status,
    limit,
    after ? { key: String(after.key), id: after.id } : undefined,
  );
  const items = rows.slice(0, limit).map(labRow);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor('newest', last.createdAt, last.id) : null };
}

function labRow(r: repo.LabApplicationRow) {
  return {
    ...r,
    createdAt: new Date(r.createdAt).toISOString(),
    noticeEndsAt: r.noticeEndsAt ? new Date(r.noticeEndsAt).toISOString() : null,
  };
}

/** One lab as the platform reviews it: its application, its exit if any, and the objections filed. */
export async function labReview(deps: AdmissionDeps, actor: Actor | null, labId: string) {
  const { lab } = await labForPlatformReader(deps, actor, labId);
  const admission = await repo.admissionCaseOf(deps.db, labId);
  const exit = await repo.latestExitCaseOf(deps.db, labId);
  const objections = await repo.objectionsOfLab(deps.db, labId);
  const region = await repo.regionName(deps.db, lab.regionCode);
  const current = new Set([admission?.id, exit?.id]);
  const history = (await repo.casesOfLab(deps.db, labId)).filter((c) => !current.has(c.id));
  return {
    lab: {
      id: lab.id,
      nameZh: lab.nameZh,
      nameEn: lab.nameEn,
      status: lab.status,
      labType: lab.labType,
      regionCode: lab.regionCode,
      regionZh: region?.zh ?? null,
      regionEn: region?.en ?? null,
      creditCode: lab.creditCode,
      createdAt: lab.createdAt.toISOString(),
      admissionStatus: admission?.status ?? null,
      exitStatus: exit?.status ?? null,
      noticeEndsAt:
        (
          (exit && (!admission || exit.createdAt > admission.createdAt) ? exit : admission)?.noticeEndsAt ?? null
        )?.toISOString() ?? null,
    },
    admission: admission ? caseView(admission, null) : null,
    exit: exit ? caseView(exit, null) : null,
    history: history.map((c) => caseView(c, null)),
    objections: objections.map((o) => ({
      ...o,
      filedAt: o.filedAt.toISOString(),
      handledAt: o.handledAt?.toISOString() ?? null,
    })),
    checklist: [...CHECKLIST],
  };
}

interface Step {
  action: string;
  from: AdmissionCase['status'][];
  /** For the message "an application that is X cannot be <done>". */
  done: string;
  apply: (tx: Tx, c: AdmissionCase, now: Date, lab: Organisation) => Promise<Partial<AdmissionCase>>;
  notify: (
    c: AdmissionCase,
    now: Date,
  ) => { kind: string; titleZh: string; titleEn: string; bodyZh?: string; bodyEn?: string };
}

/** One decision on the admission case: guarded update, audit and the lab told, in one transaction. */
async function decide(deps: AdmissionDeps, actor: Actor | null, labId: string, step: Step, requestId?: string) {
  const { a, lab } = await labForAdmin(deps, actor, labId);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const c = await repo.admissionCaseOf(tx, labId, true);
    if (!c || !step.from.includes(c.status)) {
      throw conflict(
        'illegal_transition',
        `An application that is ${c?.status ?? 'not submitted'} cannot be ${step.done}.`,
      );
    }
    const patch = await step.apply(tx, c, now, lab);
    const updated = await repo.updateCase(tx, c.id, step.from, { ...patch, updatedAt: now });
    if (!updated) throw conflict('illegal_transition', `An application that is ${c.status} cannot be ${step.done}.`);
    await recordAudit(tx, a, {
      at: now,
      action: step.action,
      entityType: 'admission_case',
      entityId: c.id,
      orgId: labId,
      before: { status: c.status },
      after: { status: updated.status, reason: updated.reason, noticeEndsAt: updated.noticeEndsAt },
      requestId,
    });
    await notifyLab(tx, lab, { caseId: c.id, at: now, ...step.notify(updated, now) });
  });
  return labReview(deps, actor, labId);
}

export function requestChanges(
  deps: AdmissionDeps,
  actor: Actor | null,
  labId: string,
  reason: string,
  requestId?: string,
) {
  return decide(
    deps,
    actor,
    labId,
    {
      action: 'admission.changes_requested',
      from: ['submitted'],
      done: 'sent back for changes',
      apply: async () => ({ status: 'changes_requested', reason }),
      notify: () => ({
        kind: 'admission_changes_requested',
        titleZh: '平台要求修改入驻申请',
        titleEn: 'The platform asks for changes to your application',
        bodyZh: reason,
        bodyEn: reason,
      }),
    },
    requestId,
  );
}

/** Publishes the 公示: it runs 7 calendar days (see notice-period.ts) on the public /notices page. */
export function publishNotice(deps: AdmissionDeps, actor: Actor | null, labId: string, requestId?: string) {
  return decide(
    deps,
    actor,
    labId,
    {
      action: 'admission.notice_published',
      from: ['submitted'],
      done: 'put on public notice',
      apply: async (_tx, _c, now) => ({
        status: 'on_notice',
        noticeStartsAt: now,
        noticeEndsAt: noticeEndsAt(now),
        reason: null,
      }),
      notify: (c) => ({
        kind: 'admission_on_notice',
        titleZh: '入驻申请已进入公示',
        titleEn: 'Your application is on public notice',
        bodyZh: `公示期至 ${noticeEndText(c.noticeEndsAt)}（北京时间），期满无异议或异议已处理后由平台作出决定。`,
        bodyEn: `The notice runs until ${noticeEndText(c.noticeEndsAt)} China time; the platform decides after it.`,
      }),
    },
    requestId,
  );
}

/** A decision on a case on notice only once its notice is over (409 `notice_not_over` before). */
function assertNoticeOver(c: AdmissionCase, now: Date) {
  if (c.status === 'on_notice' && !noticeIsOver(c.noticeEndsAt, now)) {
    throw new AppError(409, 'notice_not_over', `The public notice runs until ${c.noticeEndsAt?.toISOString()}.`);
  }
}

export function rejectApplication(
  deps: AdmissionDeps,
  actor: Actor | null,
  labId: string,
  reason: string,
  requestId?: string,
) {
  return decide(
    deps,
    actor,
    labId,
    {
      action: 'admission.rejected',
      from: ['submitted', 'changes_requested', 'on_notice'],
      done: 'rejected',
      apply: async (_tx, c, now) => {
        assertNoticeOver(c, now);
        return { status: 'rejected', reason, decidedAt: now };
      },
      notify: () => ({
        kind: 'admission_rejected',
        titleZh: '入驻申请未获通过',
        titleEn: 'Your application was not accepted',
        bodyZh: reason,
        bodyEn: reason,
      }),
    },
    requestId,
  );
}

/**
 * Admits the lab once its notice is over: the lab becomes active (its catalogue appears), and the
 * sites and certificates it declared become its sites and qualifications (those it already has,
 * when it is admitted again, updated rather than copied).
 */
export async function admitLab(deps: AdmissionDeps, actor: Actor | null, labId: string, requestId?: string) {
  await decide(
    deps,
    actor,
    labId,
    {
      action: 'admission.admitted',
      from: ['on_notice'],
      done: 'admitted',
      apply: async (tx, c, now, lab) => {
        assertNoticeOver(c, now);
        const updated = await repo.setLabStatus(tx, labId, ['pending'], 'active', now);
        if (!updated) throw conflict('illegal_transition', `A lab that is ${lab.status} cannot be admitted.`);
        if (c.application) await recordAdmittedLab(tx, labId, c.application, now);
        await recordAudit(tx, requireActor(actor), {
          at: now,
          action: 'lab.admitted',
          entityType: 'organisation',
          entityId: labId,
          orgId: labId,
          before: { status: lab.status },
          after: { status: 'active' },
          requestId,
        });
        await enqueueAfterCommit(tx, 'notify.lab-admitted', { labId }, `lab-admitted:${labId}`);
        return { status: 'admitted', decidedAt: now, reason: null };
      },
      // The welcome itself is the job's (notify.lab-admitted); this notice records the decision.
      notify: () => ({
        kind: 'admission_admitted',
        titleZh: '入驻申请已通过',
        titleEn: 'Your application was accepted',
      }),
    },
    requestId,
  );
  return { id: labId, status: 'active' as const };
}
