import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  assistanceRequests,
  enterpriseOfficers,
  memberships,
  orders,
  organisations,
  users,
  type DbOrTx,
} from '@qihub/db';

export interface EnterpriseRow {
  id: string;
  nameZh: string;
  nameEn: string;
  regionCode: string;
  kind: string;
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

/** The enterprise's officer with the platform that named them, or undefined. */
export async function findOfficerAssignment(tx: DbOrTx, enterpriseId: string) {
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
    .where(eq(enterpriseOfficers.enterpriseId, enterpriseId))
    .limit(1);
  return row;
}

/** The active platforms in which this active user is a service officer. */
export async function findPlatformsOfServiceOfficer(tx: DbOrTx, userId: string) {
  return tx
    .select({ orgId: organisations.id, regionCode: organisations.regionCode })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.role, 'service_officer'),
        eq(organisations.kind, 'platform'),
        eq(organisations.status, 'active'),
        sql`${users.disabledAt} IS NULL`,
      ),
    );
}

/** Names the enterprise's officer, replacing any earlier one (one officer per enterprise). */
export async function upsertEnterpriseOfficer(
  tx: DbOrTx,
  values: { enterpriseId: string; platformOrgId: string; officerUserId: string; assignedAt: Date },
): Promise<void> {
  await tx
    .insert(enterpriseOfficers)
    .values(values)
    .onConflictDoUpdate({
      target: enterpriseOfficers.enterpriseId,
      set: { platformOrgId: values.platformOrgId, officerUserId: values.officerUserId, assignedAt: values.assignedAt },
    });
}

/** Removes the enterprise's officer; the removed rows (none when there was no officer). */
export async function deleteEnterpriseOfficer(tx: DbOrTx, enterpriseId: string) {
  return tx
    .delete(enterpriseOfficers)
    .where(eq(enterpriseOfficers.enterpriseId, enterpriseId))
    .returning({ officerUserId: enterpriseOfficers.officerUserId });
}

/** The officer's enterprises by name, with counts of open assistance requests and orders. */
export async function findEnterprisesServedBy(tx: DbOrTx, userId: string) {
  return tx
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
}

/** The enterprises' assistance requests, most recently updated first. */
export async function findAssistanceRequestsOf(tx: DbOrTx, enterpriseIds: readonly string[], limit: number) {
  return tx
    .select()
    .from(assistanceRequests)
    .where(inArray(assistanceRequests.enterpriseId, [...enterpriseIds]))
    .orderBy(desc(assistanceRequests.updatedAt))
    .limit(limit);
}

/** The enterprises' orders as customer, most recently updated first. */
export async function findOrdersOf(tx: DbOrTx, enterpriseIds: readonly string[], limit: number) {
  return tx
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
    .where(inArray(orders.customerOrgId, [...enterpriseIds]))
    .orderBy(desc(orders.updatedAt))
    .limit(limit);
}
