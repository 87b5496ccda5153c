import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  assistanceRequests,
  enterpriseOfficers,
  memberships,
  orders,
  organisations,
  users,
  type Db,
  type DbOrTx,
} from '@qihub/db';
import { membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { regionContains } from '../../lib/region.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';

/**
 * Service officers (服务专员 / 质量管家): a platform admin names one officer of a platform covering
 * the enterprise's region; the enterprise sees who it is, the officer sees the enterprise's
 * assistance requests and orders.
 */
export interface OfficerDeps {
  db: Db;
  clock: () => Date;
}

interface EnterpriseRow {
  id: string;
  nameZh: string;
  nameEn: string;
  regionCode: string;
  kind: string;
}

export async function findEnterprise(tx: DbOrTx, id: string): Promise<EnterpriseRow | null> {
  const [row] = await tx
    .select({
      id: organisations.id,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
      regionCode: organisations.regionCode,
      kind: organisations.kind,
    })
    .from(organisations)
    .where(eq(organisations.id, id))
    .limit(1);
  return row && row.kind === 'enterprise' ? row : null;
}

/** The enterprise's current officer (user id), or null. */
export async function officerOf(tx: DbOrTx, enterpriseId: string): Promise<string | null> {
  const [row] = await tx
    .select({ userId: enterpriseOfficers.officerUserId })
    .from(enterpriseOfficers)
    .where(eq(enterpriseOfficers.enterpriseId, enterpriseId))
    .limit(1);
  return row?.userId ?? null;
}

/** Enterprises the user is the named officer of. */
export async function enterprisesOfOfficer(tx: DbOrTx, userId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: enterpriseOfficers.enterpriseId })
    .from(enterpriseOfficers)
    .where(eq(enterpriseOfficers.officerUserId, userId));
  return rows.map((r) => r.id);
}

export function isAdminOver(actor: Actor | null, regionCode: string): boolean {
  return platformScopes(actor, ['admin']).some((scope) => regionContains(scope, regionCode));
}

async function officerView(tx: DbOrTx, enterprise: EnterpriseRow) {
  const [row] = await tx
    .select({
      userId: users.id,
      name: users.displayName,
      phone: users.phone,
      email: users.email,
      platformId: organisations.id,
      platformNameZh: organisations.nameZh,
      platformNameEn: organisations.nameEn,
      assignedAt: enterpriseOfficers.assignedAt,
    })
    .from(enterpriseOfficers)
    .innerJoin(users, eq(users.id, enterpriseOfficers.officerUserId))
    .innerJoin(organisations, eq(organisations.id, enterpriseOfficers.platformOrgId))
    .where(eq(enterpriseOfficers.enterpriseId, enterprise.id))
    .limit(1);
  return {
    enterprise: { id: enterprise.id, nameZh: enterprise.nameZh, nameEn: enterprise.nameEn },
    officer: row ? { id: row.userId, name: row.name, phone: row.phone, email: row.email } : null,
    platform: row ? { id: row.platformId, nameZh: row.platformNameZh, nameEn: row.platformNameEn } : null,
    assignedAt: row ? row.assignedAt.toISOString() : null,
  };
}

/** Members of the enterprise, its officer and the platform admins over its region may look. */
export async function getEnterpriseOfficer(deps: OfficerDeps, actor: Actor | null, enterpriseId: string) {
  const a = requireActor(actor);
  const enterprise = await findEnterprise(deps.db, enterpriseId);
  if (!enterprise) throw notFound('enterprise');
  const allowed =
    !!membershipIn(a, enterpriseId) ||
    isAdminOver(a, enterprise.regionCode) ||
    (!!a.userId && (await officerOf(deps.db, enterpriseId)) === a.userId);
  if (!allowed) throw notFound('enterprise');
  return officerView(deps.db, enterprise);
}

/**
 * A platform admin over the enterprise's region names its officer: a user with the role
 * service_officer in an active platform whose region covers the enterprise. Replaces any earlier one.
 */
export async function assignOfficer(
  deps: OfficerDeps,
  actor: Actor | null,
  enterpriseId: string,
  input: { officerUserId: string },
) {
  const a = requireActor(actor);
  const enterprise = await findEnterprise(deps.db, enterpriseId);
  if (!enterprise) throw notFound('enterprise');
  if (!isAdminOver(a, enterprise.regionCode)) {
    if (membershipIn(a, enterpriseId) || platformScopes(a, ['admin', 'service_officer']).length > 0) {
      throw forbidden('Only a platform admin over the enterprise’s region may name its service officer.');
    }
    throw notFound('enterprise');
  }
  const platforms = await deps.db
    .select({ orgId: organisations.id, regionCode: organisations.regionCode })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.userId, input.officerUserId),
        eq(memberships.role, 'service_officer'),
        eq(organisations.kind, 'platform'),
        eq(organisations.status, 'active'),
        sql`${users.disabledAt} IS NULL`,
      ),
    );
  const covering = platforms
    .filter((p) => regionContains(p.regionCode, enterprise.regionCode))
    // The most local platform (station before city before province) is the officer's home.
    .sort((x, y) => y.regionCode.replace(/0+$/, '').length - x.regionCode.replace(/0+$/, '').length);
  const platform = covering[0];
  if (!platform) {
    throw unprocessable(
      'not_an_officer',
      'That user is not a service officer of a platform covering this enterprise’s region.',
      [{ path: '/officerUserId', code: 'not_an_officer', message: 'Not a service officer for this region.' }],
    );
  }
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const before = await officerOf(tx, enterpriseId);
    await tx
      .insert(enterpriseOfficers)
      .values({ enterpriseId, platformOrgId: platform.orgId, officerUserId: input.officerUserId, assignedAt: now })
      .onConflictDoUpdate({
        target: enterpriseOfficers.enterpriseId,
        set: { platformOrgId: platform.orgId, officerUserId: input.officerUserId, assignedAt: now },
      });
    const view = await officerView(tx, enterprise);
    await recordAudit(tx, a, {
      action: 'enterprise.officer_assigned',
      entityType: 'organisation',
      entityId: enterpriseId,
      orgId: enterpriseId,
      before: { officerUserId: before },
      after: { officerUserId: input.officerUserId, platformOrgId: platform.orgId },
    });
    if (before !== input.officerUserId) {
      const stamp = randomUUID();
      await notifyUsers(
        tx,
        [input.officerUserId],
        {
          kind: 'officer_assigned',
          titleZh: `您已被指派为${enterprise.nameZh}的服务专员`,
          titleEn: `You are now the service officer of ${enterprise.nameEn || enterprise.nameZh}`,
          bodyZh: '您可以在“我服务的企业”中查看该企业的帮扶申请和委托订单。',
          bodyEn: 'Its assistance requests and orders are listed under your enterprises.',
          link: '/officer',
        },
        `officer-assigned:${enterpriseId}:${stamp}`,
      );
      await notifyUsers(
        tx,
        await membersOf(tx, enterpriseId),
        {
          kind: 'officer_assigned',
          titleZh: `您的服务专员：${view.officer!.name}`,
          titleEn: `Your service officer: ${view.officer!.name}`,
          bodyZh: `联系电话 ${view.officer!.phone ?? '—'}，邮箱 ${view.officer!.email}。`,
          bodyEn: `Phone ${view.officer!.phone ?? '—'}, email ${view.officer!.email}.`,
          link: '/officer',
        },
        `officer-named:${enterpriseId}:${stamp}`,
      );
    }
    return view;
  });
}

/** A platform admin over the region removes the enterprise's officer (idempotent). */
export async function removeOfficer(deps: OfficerDeps, actor: Actor | null, enterpriseId: string) {
  const a = requireActor(actor);
  const enterprise = await findEnterprise(deps.db, enterpriseId);
  if (!enterprise) throw notFound('enterprise');
  if (!isAdminOver(a, enterprise.regionCode)) {
    if (membershipIn(a, enterpriseId) || platformScopes(a, ['admin', 'service_officer']).length > 0) {
      throw forbidden('Only a platform admin over the enterprise’s region may change its service officer.');
    }
    throw notFound('enterprise');
  }
  return deps.db.transaction(async (tx) => {
    const removed = await tx
      .delete(enterpriseOfficers)
      .where(eq(enterpriseOfficers.enterpriseId, enterpriseId))
      .returning({ officerUserId: enterpriseOfficers.officerUserId });
    if (removed.length > 0) {
      await recordAudit(tx, a, {
        action: 'enterprise.officer_removed',
        entityType: 'organisation',
        entityId: enterpriseId,
        orgId: enterpriseId,
        before: { officerUserId: removed[0]!.officerUserId },
        after: { officerUserId: null },
      });
    }
    return officerView(tx, enterprise);
  });
}

function assertOfficer(actor: Actor | null): string {
  const a = requireActor(actor);
  if (!a.userId || platformScopes(a, ['service_officer']).length === 0) {
    throw forbidden('Only service officers have enterprises.');
  }
  return a.userId;
}

/** The officer's enterprises, with how many assistance requests and orders are still open. */
export async function myEnterprises(deps: OfficerDeps, actor: Actor | null) {
  const userId = assertOfficer(actor);
  const rows = await deps.db
    .select({
      id: organisations.id,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
      regionCode: organisations.regionCode,
      contactPhone: organisations.contactPhone,
      assignedAt: enterpriseOfficers.assignedAt,
      openAssistance: sql<number>`(SELECT count(*)::int FROM assistance_requests r
        WHERE r.enterprise_id = organisations.id AND r.status NOT IN ('resolved', 'closed'))`,
      openOrders: sql<number>`(SELECT count(*)::int FROM orders o
        WHERE o.customer_org_id = organisations.id AND o.status NOT IN ('closed', 'cancelled', 'expired'))`,
    })
    .from(enterpriseOfficers)
    .innerJoin(organisations, eq(organisations.id, enterpriseOfficers.enterpriseId))
    .where(eq(enterpriseOfficers.officerUserId, userId))
    .orderBy(organisations.nameZh);
  return {
    items: rows.map((r) => ({
      id: r.id,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      regionCode: r.regionCode,
      contactPhone: r.contactPhone,
      assignedAt: r.assignedAt.toISOString(),
      openAssistance: r.openAssistance,
      openOrders: r.openOrders,
    })),
  };
}

/** Assistance requests and orders of the officer's enterprises, newest activity first. */
export async function officerRequests(
  deps: OfficerDeps,
  actor: Actor | null,
  query: { enterpriseId?: string; kind?: 'assistance' | 'order' },
) {
  const userId = assertOfficer(actor);
  let enterpriseIds = await enterprisesOfOfficer(deps.db, userId);
  if (query.enterpriseId) enterpriseIds = enterpriseIds.filter((id) => id === query.enterpriseId);
  if (enterpriseIds.length === 0) return { items: [] };
  const names = new Map(
    (
      await deps.db
        .select({ id: organisations.id, nameZh: organisations.nameZh, nameEn: organisations.nameEn })
        .from(organisations)
        .where(inArray(organisations.id, enterpriseIds))
    ).map((o) => [o.id, { id: o.id, nameZh: o.nameZh, nameEn: o.nameEn }]),
  );
  const items: {
    id: string;
    kind: 'assistance' | 'order';
    number: string | null;
    title: string;
    status: string;
    enterprise: { id: string; nameZh: string; nameEn: string };
    createdAt: string;
    updatedAt: string;
  }[] = [];
  if (query.kind !== 'order') {
    const rows = await deps.db
      .select()
      .from(assistanceRequests)
      .where(inArray(assistanceRequests.enterpriseId, enterpriseIds))
      .orderBy(desc(assistanceRequests.updatedAt))
      .limit(200);
    for (const r of rows) {
      items.push({
        id: r.id,
        kind: 'assistance',
        number: null,
        title: r.titleZh,
        status: r.status,
        enterprise: names.get(r.enterpriseId)!,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      });
    }
  }
  if (query.kind !== 'assistance') {
    const rows = await deps.db
      .select({
        id: orders.id,
        number: orders.number,
        titleZh: orders.titleZh,
        status: orders.status,
        customerOrgId: orders.customerOrgId,
        createdAt: orders.createdAt,
        updatedAt: orders.updatedAt,
      })
      .from(orders)
      .where(inArray(orders.customerOrgId, enterpriseIds))
      .orderBy(desc(orders.updatedAt))
      .limit(200);
    for (const r of rows) {
      items.push({
        id: r.id,
        kind: 'order',
        number: r.number,
        title: r.titleZh,
        status: r.status,
        enterprise: names.get(r.customerOrgId)!,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      });
    }
  }
  items.sort((x, y) => y.updatedAt.localeCompare(x.updatedAt));
  return { items };
}
