import type { AdmissionCase, DbOrTx, Organisation, Tx } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, conflict } from '../../lib/errors.ts';
import { notifyEach, notifyUsers, membersOf } from '../../lib/notify.ts';
import { auditBooking, cancelWithFee, findBooking } from '../bookings/index.ts';
import { labForAdmin } from './access.ts';
import type { AdmissionDeps } from './deps.ts';
import { noticeEndText, noticeEndsAt, noticeIsOver } from './notice-period.ts';
import { notifyLab } from './notify.ts';
import * as repo from './repository.ts';
import { labReview } from './review.ts';

/**
 * What happens to a lab's customers when the platform suspends it or starts its exit (退出) — the
 * rule, applied the moment the lab leaves the catalogue, never silently:
 *
 * - Bookings that have not started (held, awaiting approval, confirmed; not the instrument time of
 *   an order) are cancelled by the platform without any fee, and each person who booked is told
 *   why. A lab that may not take new work must not keep a customer's slot in doubt.
 * - A booking under way (checked in) runs to its check-out as usual.
 * - Orders already placed continue to completion: the lab stays bound by the commission the
 *   customer signed (samples may already be in its hands), and every customer with an open order is
 *   told that the lab is suspended or leaving and that the order carries on; they may still cancel
 *   it under the order's usual terms. No new order or booking reaches the lab (it is not `active`).
 */
async function windDown(
  tx: Tx,
  actor: Actor,
  lab: Organisation,
  now: Date,
  why: { zh: string; en: string; key: string },
) {
  const ids = await repo.futureBookingIds(tx, lab.id, now);
  for (const id of ids) {
    const before = await findBooking(tx, id, true);
    if (!before) continue;
    const after = await cancelWithFee(tx, before, actor.userId, 0, now);
    if (!after) continue;
    await auditBooking(tx, actor, 'booking.cancel', before, { before, after, at: now });
    await notifyEach(
      tx,
      [
        {
          userId: before.userId,
          kind: 'booking_cancelled_by_platform',
          titleZh: `${lab.nameZh} 的预约已取消（不收费）`,
          titleEn: `Your booking at ${lab.nameEn || lab.nameZh} was cancelled (no fee)`,
          bodyZh: `${why.zh}，${shanghaiTime(before.startsAt)} 开始的预约已由平台取消，不收取任何费用。`,
          bodyEn: `${why.en}: the booking starting ${shanghaiTime(before.startsAt)} (China time) was cancelled by the platform, free of charge.`,
          link: `/bookings/${before.id}`,
          dedupeKey: `booking:${before.id}:cancelled-by-platform`,
        },
      ],
      now,
    );
  }
  for (const order of await repo.openOrders(tx, lab.id)) {
    await notifyUsers(
      tx,
      await membersOf(tx, order.customerOrgId),
      {
        kind: 'order_lab_suspended',
        titleZh: `订单 ${order.number}：实验室${why.zh}，订单继续履行`,
        titleEn: `Order ${order.number}: the lab is ${why.en.toLowerCase()}; the order carries on`,
        bodyZh: '已下达的订单将按约定完成；如需取消，可按订单条款办理。',
        bodyEn: 'Orders already placed are completed as agreed; you may still cancel under the order terms.',
        link: `/orders/${order.id}`,
      },
      `order:${order.id}:lab-${why.key}:${now.toISOString()}`,
      now,
    );
  }
  return ids.length;
}

function shanghaiTime(d: Date) {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/** Suspends an admitted lab: it leaves the catalogue at once and its customers are looked after. */
export async function suspendLab(
  deps: AdmissionDeps,
  actor: Actor | null,
  labId: string,
  reason: string,
  requestId?: string,
) {
  const { a, lab } = await labForAdmin(deps, actor, labId);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const updated = await repo.setLabStatus(tx, labId, ['active'], 'suspended', now);
    if (!updated) throw conflict('illegal_transition', `A lab that is ${lab.status} cannot be suspended.`);
    const cancelled = await windDown(tx, a, lab, now, {
      zh: '已被平台暂停服务',
      en: 'Suspended by the platform',
      key: 'suspended',
    });
    await recordAudit(tx, a, {
      at: now,
      action: 'lab.suspended',
      entityType: 'organisation',
      entityId: labId,
      orgId: labId,
      before: { status: lab.status },
      after: { status: 'suspended', reason, bookingsCancelled: cancelled },
      requestId,
    });
    await notifyLab(tx, lab, {
      kind: 'lab_suspended',
      caseId: labId,
      at: now,
      titleZh: '贵机构已被平台暂停服务',
      titleEn: 'The platform has suspended your lab',
      bodyZh: `${reason}（未开始的预约已取消并通知客户；已下达的订单继续履行。）`,
      bodyEn: `${reason} (Bookings not yet started were cancelled and their customers told; open orders carry on.)`,
    });
  });
  return labReview(deps, actor, labId);
}

/** Lifts a suspension (not while the lab is leaving or has left). */
export async function reinstateLab(deps: AdmissionDeps, actor: Actor | null, labId: string, requestId?: string) {
  const { a, lab } = await labForAdmin(deps, actor, labId);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const exit = await repo.latestExitCaseOf(tx, labId, true);
    if (exit && (exit.status === 'on_notice' || (exit.status === 'exited' && !(await readmittedSince(tx, exit))))) {
      throw conflict('illegal_transition', 'A lab that is leaving or has left cannot be reinstated.');
    }
    const admission = await repo.admissionCaseOf(tx, labId);
    // A lab the platform never admitted through an application (the seed's) was admitted all the same.
    if (admission && admission.status !== 'admitted') {
      throw conflict('illegal_transition', 'Only an admitted lab can be reinstated.');
    }
    const updated = await repo.setLabStatus(tx, labId, ['suspended'], 'active', now);
    if (!updated) throw conflict('illegal_transition', `A lab that is ${lab.status} cannot be reinstated.`);
    await recordAudit(tx, a, {
      at: now,
      action: 'lab.reinstated',
      entityType: 'organisation',
      entityId: labId,
      orgId: labId,
      before: { status: lab.status },
      after: { status: 'active' },
      requestId,
    });
    await notifyLab(tx, lab, {
      kind: 'lab_reinstated',
      caseId: labId,
      at: now,
      titleZh: '贵机构已恢复服务',
      titleEn: 'Your lab is back in the catalogue',
    });
  });
  return labReview(deps, actor, labId);
}

/**
 * Starts a lab's exit (退出) with a 7-day public notice. The lab leaves the catalogue at once (it is
 * suspended, its customers looked after as for a suspension); after the notice the exit is completed.
 */
export async function startExit(
  deps: AdmissionDeps,
  actor: Actor | null,
  labId: string,
  reason: string,
  requestId?: string,
) {
  const { a, lab } = await labForAdmin(deps, actor, labId);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const open = await repo.latestExitCaseOf(tx, labId, true);
    if (open && open.status === 'on_notice') throw conflict('illegal_transition', 'This lab is already leaving.');
    if (open && open.status === 'exited' && !(await readmittedSince(tx, open)))
      throw conflict('illegal_transition', 'This lab has left the platform.');
    if (lab.status === 'pending') throw conflict('illegal_transition', 'A lab not yet admitted has nothing to leave.');
    if (lab.status === 'active') await repo.setLabStatus(tx, labId, ['active'], 'suspended', now);
    const cancelled = await windDown(tx, a, lab, now, {
      zh: '正在退出平台',
      en: 'Leaving the platform',
      key: 'exiting',
    });
    const exit = await repo.insertCase(tx, {
      labId,
      kind: 'exit',
      status: 'on_notice',
      reason,
      noticeStartsAt: now,
      noticeEndsAt: noticeEndsAt(now),
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, a, {
      at: now,
      action: 'lab.exit_started',
      entityType: 'admission_case',
      entityId: exit.id,
      orgId: labId,
      before: { status: lab.status },
      after: { status: 'suspended', reason, noticeEndsAt: exit.noticeEndsAt, bookingsCancelled: cancelled },
      requestId,
    });
    await notifyLab(tx, lab, {
      kind: 'lab_exit_started',
      caseId: exit.id,
      at: now,
      titleZh: '平台已启动贵机构的退出程序并公示',
      titleEn: 'The platform has started your exit, with a public notice',
      bodyZh: `${reason}（公示期至 ${noticeEndText(exit.noticeEndsAt)}；未开始的预约已取消，已下达的订单继续履行。）`,
      bodyEn: `${reason} (Notice until ${noticeEndText(exit.noticeEndsAt)} China time; bookings not yet started were cancelled, open orders carry on.)`,
    });
  });
  return labReview(deps, actor, labId);
}

/** Completes an exit after its notice (409 `notice_not_over` before). */
export async function completeExit(deps: AdmissionDeps, actor: Actor | null, labId: string, requestId?: string) {
  const { a, lab } = await labForAdmin(deps, actor, labId);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const exit = await repo.latestExitCaseOf(tx, labId, true);
    if (!exit || exit.status !== 'on_notice') throw conflict('illegal_transition', 'This lab is not leaving.');
    if (!noticeIsOver(exit.noticeEndsAt, now)) {
      throw new AppError(409, 'notice_not_over', `The public notice runs until ${exit.noticeEndsAt?.toISOString()}.`);
    }
    const updated = await repo.updateCase(tx, exit.id, ['on_notice'], {
      status: 'exited',
      decidedAt: now,
      updatedAt: now,
    });
    if (!updated) throw conflict('illegal_transition', 'This lab is not leaving.');
    await recordAudit(tx, a, {
      at: now,
      action: 'lab.exited',
      entityType: 'admission_case',
      entityId: exit.id,
      orgId: labId,
      before: { status: 'on_notice' },
      after: { status: 'exited' },
      requestId,
    });
    await notifyLab(tx, lab, {
      kind: 'lab_exited',
      caseId: exit.id,
      at: now,
      titleZh: '贵机构已退出平台',
      titleEn: 'Your lab has left the platform',
    });
  });
  return labReview(deps, actor, labId);
}

/** Whether a lab that left applied again and was admitted after that exit. */
async function readmittedSince(tx: DbOrTx, exit: AdmissionCase) {
  const admission = await repo.admissionCaseOf(tx, exit.labId);
  return !!admission && admission.status === 'admitted' && admission.createdAt > exit.createdAt;
}
