import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';

/** What the audit list is narrowed by; every field optional but the admin's region prefixes. */
export interface AuditFilter {
  /** The admin's platform scopes as region prefixes (never empty). */
  prefixes: string[];
  /** A user id, or part of the actor's email or name. */
  actor?: string;
  actorUserId?: string;
  orgId?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  start?: Date;
  end?: Date;
  /** Rows with a smaller id than this (the keyset: newest first). */
  beforeId?: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  actorKind: string;
  actorUserId: string | null;
  actorEmail: string | null;
  actorName: string | null;
  actorOrg: { id: string; nameZh: string; nameEn: string } | null;
  action: string;
  entityType: string;
  entityId: string;
  org: { id: string; nameZh: string; nameEn: string; regionCode: string } | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

type RawRow = {
  id: string;
  at: Date | string;
  actor_kind: string;
  actor_user_id: string | null;
  email: string | null;
  display_name: string | null;
  actor_org_id: string | null;
  ao_name_zh: string | null;
  ao_name_en: string | null;
  org_id: string | null;
  o_name_zh: string | null;
  o_name_en: string | null;
  o_region: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
};

const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A row is in the admin's region when the organisation it is about is; a row about no organisation
 * (a platform's own act) when the acting organisation is.
 */
function whereOf(f: AuditFilter): SQL {
  const inRegion = (column: SQL) =>
    sql.join(
      f.prefixes.map((p) => sql`${column} LIKE ${p + '%'}`),
      sql` OR `,
    );
  const parts: SQL[] = [
    sql`((o.id IS NOT NULL AND (${inRegion(sql`o.region_code`)})) OR (a.org_id IS NULL AND ao.id IS NOT NULL AND (${inRegion(sql`ao.region_code`)})))`,
  ];
  if (f.actorUserId) parts.push(sql`a.actor_user_id = ${f.actorUserId}`);
  else if (f.actor) {
    const like = `%${likeEscaped(f.actor)}%`;
    parts.push(sql`(u.email ILIKE ${like} OR u.display_name ILIKE ${like})`);
  }
  if (f.orgId) parts.push(sql`(a.org_id = ${f.orgId} OR a.actor_org_id = ${f.orgId})`);
  if (f.entityType) parts.push(sql`a.entity_type = ${f.entityType}`);
  if (f.entityId) parts.push(sql`a.entity_id = ${f.entityId}`);
  // "order" finds order.accepted, order.cancelled …; "order.accepted" finds itself.
  if (f.action) parts.push(sql`(a.action = ${f.action} OR a.action LIKE ${likeEscaped(f.action) + '.%'})`);
  if (f.start) parts.push(sql`a.at >= ${f.start.toISOString()}::timestamptz`);
  if (f.end) parts.push(sql`a.at < ${f.end.toISOString()}::timestamptz`);
  if (f.beforeId !== undefined) parts.push(sql`a.id < ${f.beforeId}`);
  return sql.join(parts, sql` AND `);
}

/** An audit row with who did it and to which organisation, by name (the list and one entry alike). */
const AUDIT_ROWS = sql`
    SELECT a.id, a.at, a.actor_kind, a.actor_user_id, u.email, u.display_name,
      a.actor_org_id, ao.name_zh AS ao_name_zh, ao.name_en AS ao_name_en,
      a.org_id, o.name_zh AS o_name_zh, o.name_en AS o_name_en, o.region_code AS o_region,
      a.action, a.entity_type, a.entity_id, a.before, a.after, a.request_id
    FROM audit_log a
    LEFT JOIN users u ON u.id = a.actor_user_id
    LEFT JOIN organisations o ON o.id = a.org_id
    LEFT JOIN organisations ao ON ao.id = a.actor_org_id`;

/** Newest first, at most `limit` rows. */
export async function listAudit(tx: DbOrTx, f: AuditFilter, limit: number): Promise<AuditRow[]> {
  const { rows } = await tx.execute<RawRow>(sql`
    ${AUDIT_ROWS}
    WHERE ${whereOf(f)}
    ORDER BY a.id DESC
    LIMIT ${limit}`);
  return rows.map(toRow);
}

/** One row, if it is in the admin's region. */
export async function auditEntry(tx: DbOrTx, id: number, prefixes: string[]): Promise<AuditRow | null> {
  const { rows } = await tx.execute<RawRow>(sql`
    ${AUDIT_ROWS}
    WHERE a.id = ${id} AND ${whereOf({ prefixes })}`);
  return rows[0] ? toRow(rows[0]) : null;
}

function toRow(r: RawRow): AuditRow {
  return {
    id: Number(r.id),
    at: r.at instanceof Date ? r.at : new Date(r.at),
    actorKind: r.actor_kind,
    actorUserId: r.actor_user_id,
    actorEmail: r.email,
    actorName: r.display_name,
    actorOrg:
      r.actor_org_id && r.ao_name_zh !== null
        ? { id: r.actor_org_id, nameZh: r.ao_name_zh, nameEn: r.ao_name_en ?? '' }
        : null,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    org:
      r.org_id && r.o_name_zh !== null
        ? { id: r.org_id, nameZh: r.o_name_zh, nameEn: r.o_name_en ?? '', regionCode: r.o_region ?? '' }
        : null,
    before: r.before,
    after: r.after,
    requestId: r.request_id,
  };
}
