import { randomUUID } from 'node:crypto';
import type { Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, unprocessable } from '../../lib/errors.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { localDate } from '../../lib/time.ts';
import { assertRole, loadFor, type AssistanceDeps } from './access.ts';
import {
  findActiveLabOrPlatformUser,
  insertVisit,
  updateAssistanceStatus,
  type AssistanceRequestChanges,
  type AssistanceRequest as Request,
  type AssistanceStatus as Status,
} from './repository.ts';
import { viewOf } from './views.ts';

/** Guarded: the status is re-checked in the UPDATE itself, so racing requests cannot both pass. */
async function move(
  tx: Tx,
  request: Request,
  from: readonly Status[],
  to: Status,
  set: AssistanceRequestChanges,
  now: Date,
): Promise<Request> {
  const row = await updateAssistanceStatus(tx, request.id, from, { ...set, status: to, updatedAt: now });
  if (!row) {
    throw conflict(
      'illegal_transition',
      `An assistance request cannot go from ${request.status} to ${to}; allowed from: ${from.join(', ')}.`,
    );
  }
  return row;
}

/** Every change of a request is audited against the request and its enterprise. */
async function auditChange(
  tx: Tx,
  actor: Actor,
  action: string,
  request: Request,
  change: { before?: unknown; after: unknown; at: Date },
) {
  await recordAudit(tx, actor, {
    action: `assistance.${action}`,
    entityType: 'assistance_request',
    entityId: request.id,
    orgId: request.enterpriseId,
    ...change,
  });
}

/** A status move is audited as the statuses before and after it. */
async function auditMove(tx: Tx, actor: Actor, action: string, before: Request, after: Request, at: Date) {
  await auditChange(tx, actor, action, after, {
    before: { status: before.status },
    after: { status: after.status },
    at,
  });
}

async function tellEnterprise(
  tx: Tx,
  request: Request,
  dedupe: string,
  notice: { titleZh: string; titleEn: string; bodyZh: string; bodyEn: string },
  now: Date,
) {
  await notifyUsers(
    tx,
    await membersOf(tx, request.enterpriseId),
    { kind: 'assistance_update', link: `/assistance/${request.id}`, ...notice },
    `assistance:${request.id}:${dedupe}`,
    now,
  );
}

export async function assignExpert(
  deps: AssistanceDeps,
  actor: Actor | null,
  id: string,
  input: { expertUserId?: string; expertName?: string },
) {
  const a = requireActor(actor);
  if ((input.expertUserId ? 1 : 0) + (input.expertName?.trim() ? 1 : 0) !== 1) {
    throw unprocessable('expert_required', 'Name exactly one expert: a platform user or an outside expert.', [
      { path: '/expertUserId', code: 'expert_required', message: 'Give expertUserId or expertName, not both.' },
    ]);
  }
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const access = await loadFor(tx, a, id, true);
    assertRole(
      access,
      ['officer', 'admin'],
      'Only the enterprise’s service officer or a platform admin assigns experts.',
    );
    let expertName: string | null = input.expertName?.trim() ?? null;
    if (input.expertUserId) {
      const expert = await findActiveLabOrPlatformUser(tx, input.expertUserId);
      if (!expert) {
        throw unprocessable('unknown_expert', 'The expert must be an active user of a lab or a platform.', [
          { path: '/expertUserId', code: 'unknown_expert', message: 'Not a lab or platform user.' },
        ]);
      }
      expertName = null;
    }
    const updated = await move(
      tx,
      access.request,
      ['open', 'assigned'],
      'assigned',
      {
        expertUserId: input.expertUserId ?? null,
        expertName,
        assignedAt: now,
        officerUserId: access.roles.has('officer') ? a.userId : access.request.officerUserId,
      },
      now,
    );
    const view = await viewOf(tx, updated);
    await auditChange(tx, a, 'assigned', updated, {
      before: { status: access.request.status, expertUserId: access.request.expertUserId },
      after: { status: updated.status, expert: view.expert },
      at: now,
    });
    // Each assignment is its own notice (re-assigning within the same instant included).
    const stamp = randomUUID();
    await tellEnterprise(
      tx,
      updated,
      `assigned:${stamp}`,
      {
        titleZh: `帮扶专家已指派：${view.expert!.name}`,
        titleEn: `An expert is assigned: ${view.expert!.name}`,
        bodyZh: `您的帮扶申请“${updated.titleZh}”已指派专家，专家将与您联系安排上门服务。`,
        bodyEn: `Your assistance request "${updated.titleZh}" has an expert, who will contact you to arrange a visit.`,
      },
      now,
    );
    if (input.expertUserId) {
      await notifyUsers(
        tx,
        [input.expertUserId],
        {
          kind: 'assistance_expert',
          titleZh: `您被指派为帮扶专家：${view.enterprise.nameZh}`,
          titleEn: `You are the expert for ${view.enterprise.nameEn || view.enterprise.nameZh}`,
          bodyZh: updated.titleZh,
          bodyEn: updated.titleZh,
          link: `/assistance/${id}`,
        },
        `assistance:${id}:expert:${stamp}`,
        now,
      );
    }
    return view;
  });
}

export async function recordVisit(
  deps: AssistanceDeps,
  actor: Actor | null,
  id: string,
  input: { visitedOn: string; notesZh: string; problemsFound: number; problemsSolved: number },
) {
  const a = requireActor(actor);
  const now = deps.clock();
  if (input.visitedOn > localDate(now)) {
    throw unprocessable('visit_in_future', 'A visit is recorded after it took place.', [
      { path: '/visitedOn', code: 'visit_in_future', message: 'Must be today or earlier.' },
    ]);
  }
  if (input.problemsSolved > input.problemsFound) {
    throw unprocessable('invalid_counts', 'More problems solved than found.', [
      { path: '/problemsSolved', code: 'invalid_counts', message: 'Must not exceed problemsFound.' },
    ]);
  }
  return deps.db.transaction(async (tx) => {
    const access = await loadFor(tx, a, id, true);
    assertRole(access, ['officer', 'expert'], 'Only the service officer or the assigned expert records visits.');
    const updated = await move(tx, access.request, ['assigned', 'in_progress'], 'in_progress', {}, now);
    // After the state check (a visit out of order is 409 first); throwing here undoes the move.
    if (input.visitedOn < localDate(access.request.createdAt)) {
      throw unprocessable('visit_before_request', 'A visit answers the request: it cannot precede it.', [
        { path: '/visitedOn', code: 'visit_before_request', message: 'Must be on or after the day of the request.' },
      ]);
    }
    const visit = await insertVisit(tx, {
      requestId: id,
      visitedOn: input.visitedOn,
      recordedBy: a.userId!,
      notesZh: input.notesZh.trim(),
      problemsFound: input.problemsFound,
      problemsSolved: input.problemsSolved,
    });
    await auditChange(tx, a, 'visit_recorded', updated, { after: { visitId: visit.id, ...input }, at: now });
    await tellEnterprise(
      tx,
      updated,
      `visit:${visit.id}`,
      {
        titleZh: `帮扶走访已记录（${input.visitedOn}）`,
        titleEn: `Assistance visit recorded (${input.visitedOn})`,
        bodyZh: `发现问题 ${input.problemsFound} 项，已解决 ${input.problemsSolved} 项。`,
        bodyEn: `${input.problemsFound} problems found, ${input.problemsSolved} solved.`,
      },
      now,
    );
    return viewOf(tx, updated);
  });
}

export async function resolveRequest(deps: AssistanceDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const access = await loadFor(tx, a, id, true);
    assertRole(access, ['officer', 'expert', 'admin'], 'Only the helpers mark a request resolved.');
    const updated = await move(tx, access.request, ['in_progress'], 'resolved', { resolvedAt: now }, now);
    await auditMove(tx, a, 'resolved', access.request, updated, now);
    await tellEnterprise(
      tx,
      updated,
      'resolved',
      {
        titleZh: `帮扶已完成，请确认：${updated.titleZh}`,
        titleEn: `Assistance completed — please confirm: ${updated.titleZh}`,
        bodyZh: '如问题已解决，请确认关闭该帮扶申请。',
        bodyEn: 'If the problems are solved, confirm by closing the request.',
      },
      now,
    );
    return viewOf(tx, updated);
  });
}

/** The enterprise confirms a resolved request (or withdraws one nobody has taken up yet). */
export async function closeRequest(deps: AssistanceDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const access = await loadFor(tx, a, id, true);
    assertRole(access, ['enterprise'], 'Only the enterprise closes its request.');
    const updated = await move(tx, access.request, ['open', 'resolved'], 'closed', { closedAt: now }, now);
    await auditMove(tx, a, 'closed', access.request, updated, now);
    const helpers = [updated.officerUserId, updated.expertUserId].filter((x): x is string => !!x);
    await notifyUsers(
      tx,
      helpers,
      {
        kind: 'assistance_closed',
        titleZh: `企业已确认关闭帮扶：${updated.titleZh}`,
        titleEn: `The enterprise closed the assistance request: ${updated.titleZh}`,
        link: `/assistance/${id}`,
      },
      `assistance:${id}:closed`,
      now,
    );
    return viewOf(tx, updated);
  });
}
