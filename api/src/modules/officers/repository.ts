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

export interface RegionEnterpriseRow {
  id: string;
  nameZh: string;
  nameEn: string;
  creditCode: string | null;
  regionCode: string;
  size: 'micro' | 'small' | 'medium' | 'large' | null;
  industryCode: string | null;
  createdAt: Date;
  officerId: string | null;
  officerName: string | null;
  officerEmail: string | null;
  platformId: string | null;
  platformNameZh: string | null;
  platformNameEn: string | null;
}

/** Enterprises registered under a GB/T 2260 prefix, newest first, with their named officer. */
export async function enterprisesUnder(
  tx: DbOrTx,
  prefix: string,
  limit: number,
  after: { key: string; id: string } | undefined,
): Promise<RegionEnterpriseRow[]> {
  const result = await tx.execute(sql`
    SELECT o.id, o.name_zh AS "nameZh", o.name_en AS "nameEn", o.credit_code AS "creditCode",
      o.region_code AS "regionCode", o.enterprise_size AS size, o.industry_code AS "industryCode",
      o.created_at AS "createdAt", u.id AS "officerId", u.display_name AS "officerName", u.email AS "officerEmail",
      p.id AS "platformId", p.name_zh AS "platformNameZh", p.name_en AS "platformNameEn"
    FROM organisations o
    LEFT JOIN enterprise_officers eo ON eo.enterprise_id = o.id
    LEFT JOIN users u ON u.id = eo.officer_user_id
    LEFT JOIN organisations p ON p.id = eo.platform_org_id
    WHERE o.kind = 'enterprise' AND o.region_code LIKE ${`${prefix}%`}
      ${after ? sql`AND (date_trunc('milliseconds', o.created_at), o.id) < (${after.key}::timestamptz, ${after.id}::uuid)` : sql``}
    ORDER BY date_trunc('milliseconds', o.created_at) DESC, o.id DESC
    LIMIT ${limit + 1}`);
  return result.rows as unknown as RegionEnterpriseRow[];
}

/** Active service officers of active platforms whose region lies under one of the prefixes. */
export async function serviceOfficersUnder(tx: DbOrTx, prefixes: readonly string[]) {
  if (prefixes.length === 0) return [];
  const result = await tx.execute(sql`
    SELECT DISTINCT u.id, u.display_name AS name, u.email, p.id AS "platformId", p.name_zh AS "platformNameZh",
      p.name_en AS "platformNameEn", p.region_code AS "regionCode"
    FROM memberships m
    JOIN users u ON u.id = m.user_id
    JOIN organisations p ON p.id = m.org_id
    WHERE m.role = 'service_officer' AND p.kind = 'platform' AND p.status = 'active' AND u.disabled_at IS NULL
      AND (${sql.join(
        prefixes.map((x) => sql`p.region_code LIKE ${`${x}%`}`),
        sql` OR `,
      )})
    ORDER BY p.region_code, u.display_name, u.id`);
  return result.rows as unknown as {
    id: string;
    name: string;
    email: string;
    platformId: string;
    platformNameZh: string;
    platformNameEn: string;
    regionCode: string;
  }[];
}
