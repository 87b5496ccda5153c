import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import {
  assistanceRequests,
  assistanceVisits,
  enterpriseOfficers,
  memberships,
  organisations,
  users,
  type Db,
  type DbOrTx,
  type Tx,
} from '@qihub/db';
import { membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { regionPrefix } from '../../lib/region.ts';
import { localDate } from '../../lib/time.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { findEnterprise, isAdminOver, officerOf } from '../officers/index.ts';

/**
 * Quality technical assistance (质量技术帮扶): an enterprise asks for help, its service officer (or a
 * platform admin over its region) assigns an expert, visits are recorded with the problems found
 * and solved, the helper marks it resolved and the enterprise confirms by closing it.
 *
 * open → assigned → in_progress (first visit) → resolved → closed; an open request may be
 * withdrawn (closed) by the enterprise; re-assigning is allowed until the first visit.
 */
export interface AssistanceDeps {
  db: Db;
  clock: () => Date;
}

type Status = (typeof assistanceRequests.$inferSelect)['status'];
type Request = typeof assistanceRequests.$inferSelect;
type Role = 'enterprise' | 'officer' | 'admin' | 'expert';

interface Access {
  request: Request;
  roles: Set<Role>;
}

async function rolesFor(tx: DbOrTx, actor: Actor, request: Request): Promise<Set<Role>> {
  const roles = new Set<Role>();
  const m = membershipIn(actor, request.enterpriseId);
  if (m && m.orgKind === 'enterprise') roles.add('enterprise');
  if (actor.userId) {
    if (request.expertUserId === actor.userId) roles.add('expert');
    if (platformScopes(actor, ['service_officer']).length > 0) {
      // Only the enterprise's current officer: a removed or replaced one loses access at once.
      if ((await officerOf(tx, request.enterpriseId)) === actor.userId) {
        roles.add('officer');
      }
    }
  }
  if (platformScopes(actor, ['admin']).length > 0) {
    const enterprise = await findEnterprise(tx, request.enterpriseId);
    if (enterprise && isAdminOver(actor, enterprise.regionCode)) roles.add('admin');
  }
  return roles;
}

/** 404 for anyone with no business seeing the request. */
async function loadFor(tx: DbOrTx, actor: Actor | null, id: string, forUpdate = false): Promise<Access> {
  const a = requireActor(actor);
  const q = tx.select().from(assistanceRequests).where(eq(assistanceRequests.id, id)).limit(1);
  const [request] = forUpdate ? await q.for('update') : await q;
  if (!request) throw notFound('assistance request');
  const roles = await rolesFor(tx, a, request);
  if (roles.size === 0) throw notFound('assistance request');
  return { request, roles };
}

function assertRole(access: Access, allowed: readonly Role[], message: string) {
  if (!allowed.some((r) => access.roles.has(r))) throw forbidden(message);
}

async function views(tx: DbOrTx, requests: Request[]) {
  if (requests.length === 0) return [];
  const ids = requests.map((r) => r.id);
  const userIds = [
    ...new Set(
      requests.flatMap((r) => [r.requestedBy, r.officerUserId, r.expertUserId]).filter((x): x is string => !!x),
    ),
  ];
  const visits = await tx
    .select({ v: assistanceVisits, name: users.displayName })
    .from(assistanceVisits)
    .innerJoin(users, eq(users.id, assistanceVisits.recordedBy))
    .where(inArray(assistanceVisits.requestId, ids))
    .orderBy(asc(assistanceVisits.visitedOn), asc(assistanceVisits.createdAt));
  const people = new Map(
    (
      await tx
        .select({ id: users.id, name: users.displayName, phone: users.phone, email: users.email })
        .from(users)
        .where(inArray(users.id, userIds))
    ).map((u) => [u.id, u]),
  );
  const orgs = new Map(
    (
      await tx
        .select({ id: organisations.id, nameZh: organisations.nameZh, nameEn: organisations.nameEn })
        .from(organisations)
        .where(inArray(organisations.id, [...new Set(requests.map((r) => r.enterpriseId))]))
    ).map((o) => [o.id, o]),
  );
  return requests.map((r) => {
    const own = visits
      .filter((v) => v.v.requestId === r.id)
      .map(({ v, name }) => ({
        id: v.id,
        visitedOn: v.visitedOn,
        recordedBy: { id: v.recordedBy, name },
        notesZh: v.notesZh,
        problemsFound: v.problemsFound,
        problemsSolved: v.problemsSolved,
        createdAt: v.createdAt.toISOString(),
      }));
    const requester = people.get(r.requestedBy);
    const officer = r.officerUserId ? people.get(r.officerUserId) : undefined;
    const expertUser = r.expertUserId ? people.get(r.expertUserId) : undefined;
    return {
      id: r.id,
      enterprise: orgs.get(r.enterpriseId)!,
      requestedBy: { id: r.requestedBy, name: requester?.name ?? '' },
      titleZh: r.titleZh,
      problemZh: r.problemZh,
      trigger: r.trigger,
      productZh: r.productZh,
      status: r.status,
      officer: officer ?? null,
      expert: expertUser
        ? { id: expertUser.id, name: expertUser.name }
        : r.expertName
          ? { id: null, name: r.expertName }
          : null,
      visits: own,
      problemsFound: own.reduce((s, v) => s + v.problemsFound, 0),
      problemsSolved: own.reduce((s, v) => s + v.problemsSolved, 0),
      assignedAt: r.assignedAt?.toISOString() ?? null,
      resolvedAt: r.resolvedAt?.toISOString() ?? null,
      closedAt: r.closedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

async function viewOf(tx: DbOrTx, request: Request) {
  return (await views(tx, [request]))[0]!;
}

export async function createRequest(
  deps: AssistanceDeps,
  actor: Actor | null,
  input: { enterpriseId?: string; titleZh: string; problemZh: string; trigger?: string; productZh?: string },
) {
  const a = requireActor(actor);
  const mine = a.memberships.filter((m) => m.orgKind === 'enterprise' && m.orgStatus !== 'suspended');
  if (!a.userId || mine.length === 0) throw forbidden('Only members of an enterprise may ask for assistance.');
  let enterpriseId = input.enterpriseId;
  if (enterpriseId) {
    if (!mine.some((m) => m.orgId === enterpriseId)) {
      throw unprocessable('not_your_enterprise', 'You are not a member of that enterprise.', [
        { path: '/enterpriseId', code: 'not_your_enterprise', message: 'Not one of your enterprises.' },
      ]);
    }
  } else if (mine.length > 1) {
    throw unprocessable('enterprise_required', 'You belong to several enterprises: say which one asks.', [
      { path: '/enterpriseId', code: 'enterprise_required', message: 'Required.' },
    ]);
  } else {
    enterpriseId = mine[0]!.orgId;
  }
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const officerUserId = await officerOf(tx, enterpriseId);
    const [created] = await tx
      .insert(assistanceRequests)
      .values({
        enterpriseId,
        requestedBy: a.userId!,
        titleZh: input.titleZh.trim(),
        problemZh: input.problemZh.trim(),
        trigger: input.trigger ?? 'other',
        productZh: input.productZh?.trim() ?? '',
        officerUserId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const view = await viewOf(tx, created!);
    await recordAudit(tx, a, {
      action: 'assistance.requested',
      entityType: 'assistance_request',
      entityId: created!.id,
      orgId: enterpriseId,
      after: { titleZh: view.titleZh, trigger: view.trigger },
    });
    if (officerUserId) {
      await notifyUsers(
        tx,
        [officerUserId],
        {
          kind: 'assistance_requested',
          titleZh: `${view.enterprise.nameZh}申请质量技术帮扶：${view.titleZh}`,
          titleEn: `${view.enterprise.nameEn || view.enterprise.nameZh} asks for technical assistance`,
          bodyZh: '请尽快联系企业并指派专家。',
          bodyEn: 'Contact the enterprise and assign an expert.',
          link: `/assistance/${created!.id}`,
        },
        `assistance:${created!.id}:requested`,
      );
    }
    return view;
  });
}

/** Mine (enterprise members), my enterprises' (officers), assigned to me (experts), my region's (admins). */
export async function listRequests(
  deps: AssistanceDeps,
  actor: Actor | null,
  query: { status?: Status; enterpriseId?: string },
) {
  const a = requireActor(actor);
  const seen: SQL[] = [];
  const enterpriseIds = a.memberships.filter((m) => m.orgKind === 'enterprise').map((m) => m.orgId);
  if (enterpriseIds.length > 0) seen.push(inArray(assistanceRequests.enterpriseId, enterpriseIds));
  if (a.userId) {
    seen.push(eq(assistanceRequests.expertUserId, a.userId));
    if (platformScopes(a, ['service_officer']).length > 0) {
      seen.push(
        inArray(
          assistanceRequests.enterpriseId,
          deps.db
            .select({ id: enterpriseOfficers.enterpriseId })
            .from(enterpriseOfficers)
            .where(eq(enterpriseOfficers.officerUserId, a.userId)),
        ),
      );
    }
  }
  for (const scope of platformScopes(a, ['admin'])) {
    seen.push(
      inArray(
        assistanceRequests.enterpriseId,
        deps.db
          .select({ id: organisations.id })
          .from(organisations)
          .where(
            and(
              eq(organisations.kind, 'enterprise'),
              sql`${organisations.regionCode} LIKE ${regionPrefix(scope) + '%'}`,
            ),
          ),
      ),
    );
  }
  if (seen.length === 0) return { items: [] };
  const rows = await deps.db
    .select()
    .from(assistanceRequests)
    .where(
      and(
        or(...seen),
        query.status ? eq(assistanceRequests.status, query.status) : undefined,
        query.enterpriseId ? eq(assistanceRequests.enterpriseId, query.enterpriseId) : undefined,
      ),
    )
    .orderBy(desc(assistanceRequests.createdAt))
    .limit(200);
  return { items: await views(deps.db, rows) };
}

export async function getRequest(deps: AssistanceDeps, actor: Actor | null, id: string) {
  const { request } = await loadFor(deps.db, actor, id);
  return viewOf(deps.db, request);
}

/** Guarded: the status is re-checked in the UPDATE itself, so racing requests cannot both pass. */
async function move(
  tx: Tx,
  request: Request,
  from: readonly Status[],
  to: Status,
  set: Partial<typeof assistanceRequests.$inferInsert>,
  now: Date,
): Promise<Request> {
  const [row] = await tx
    .update(assistanceRequests)
    .set({ ...set, status: to, updatedAt: now })
    .where(and(eq(assistanceRequests.id, request.id), inArray(assistanceRequests.status, [...from])))
    .returning();
  if (!row) {
    throw conflict(
      'illegal_transition',
      `An assistance request cannot go from ${request.status} to ${to}; allowed from: ${from.join(', ')}.`,
    );
  }
  return row;
}

async function tellEnterprise(
  tx: Tx,
  request: Request,
  dedupe: string,
  notice: { titleZh: string; titleEn: string; bodyZh: string; bodyEn: string },
) {
  await notifyUsers(
    tx,
    await membersOf(tx, request.enterpriseId),
    { kind: 'assistance_update', link: `/assistance/${request.id}`, ...notice },
    `assistance:${request.id}:${dedupe}`,
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
      const [expert] = await tx
        .select({ name: users.displayName })
        .from(users)
        .innerJoin(memberships, eq(memberships.userId, users.id))
        .innerJoin(organisations, eq(organisations.id, memberships.orgId))
        .where(
          and(
            eq(users.id, input.expertUserId),
            sql`${users.disabledAt} IS NULL`,
            inArray(organisations.kind, ['lab', 'platform']),
            // The expert sees the enterprise's request: only people of admitted organisations (isAdmitted).
            eq(organisations.status, 'active'),
          ),
        )
        .limit(1);
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
    await recordAudit(tx, a, {
      action: 'assistance.assigned',
      entityType: 'assistance_request',
      entityId: id,
      orgId: updated.enterpriseId,
      before: { status: access.request.status, expertUserId: access.request.expertUserId },
      after: { status: updated.status, expert: view.expert },
    });
    // Each assignment is its own notice (re-assigning within the same instant included).
    const stamp = randomUUID();
    await tellEnterprise(tx, updated, `assigned:${stamp}`, {
      titleZh: `帮扶专家已指派：${view.expert!.name}`,
      titleEn: `An expert is assigned: ${view.expert!.name}`,
      bodyZh: `您的帮扶申请“${updated.titleZh}”已指派专家，专家将与您联系安排上门服务。`,
      bodyEn: `Your assistance request "${updated.titleZh}" has an expert, who will contact you to arrange a visit.`,
    });
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
    const [visit] = await tx
      .insert(assistanceVisits)
      .values({
        requestId: id,
        visitedOn: input.visitedOn,
        recordedBy: a.userId!,
        notesZh: input.notesZh.trim(),
        problemsFound: input.problemsFound,
        problemsSolved: input.problemsSolved,
      })
      .returning({ id: assistanceVisits.id });
    await recordAudit(tx, a, {
      action: 'assistance.visit_recorded',
      entityType: 'assistance_request',
      entityId: id,
      orgId: updated.enterpriseId,
      after: { visitId: visit!.id, ...input },
    });
    await tellEnterprise(tx, updated, `visit:${visit!.id}`, {
      titleZh: `帮扶走访已记录（${input.visitedOn}）`,
      titleEn: `Assistance visit recorded (${input.visitedOn})`,
      bodyZh: `发现问题 ${input.problemsFound} 项，已解决 ${input.problemsSolved} 项。`,
      bodyEn: `${input.problemsFound} problems found, ${input.problemsSolved} solved.`,
    });
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
    await recordAudit(tx, a, {
      action: 'assistance.resolved',
      entityType: 'assistance_request',
      entityId: id,
      orgId: updated.enterpriseId,
      before: { status: access.request.status },
      after: { status: updated.status },
    });
    await tellEnterprise(tx, updated, 'resolved', {
      titleZh: `帮扶已完成，请确认：${updated.titleZh}`,
      titleEn: `Assistance completed — please confirm: ${updated.titleZh}`,
      bodyZh: '如问题已解决，请确认关闭该帮扶申请。',
      bodyEn: 'If the problems are solved, confirm by closing the request.',
    });
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
    await recordAudit(tx, a, {
      action: 'assistance.closed',
      entityType: 'assistance_request',
      entityId: id,
      orgId: updated.enterpriseId,
      before: { status: access.request.status },
      after: { status: updated.status },
    });
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
    );
    return viewOf(tx, updated);
  });
}
