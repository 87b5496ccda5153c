import { and, asc, desc, eq, gt, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import {
  labSignatories,
  memberships,
  orderLines,
  orderSamples,
  orders,
  qualifications,
  reports,
  users,
  type DbOrTx,
  type Report,
} from '@qihub/db';

export type NewReport = typeof reports.$inferInsert;
export type ReportChanges = Partial<NewReport>;

// ---------------------------------------------------------------------------------------------
// Reports

export async function findReport(db: DbOrTx, id: string): Promise<Report | undefined> {
  const [row] = await db.select().from(reports).where(eq(reports.id, id)).limit(1);
  return row;
}

export async function lockReport(db: DbOrTx, id: string): Promise<Report | undefined> {
  const [row] = await db.select().from(reports).where(eq(reports.id, id)).for('update');
  return row;
}

/** The order's reports, oldest first, of the given statuses (all when absent). */
export async function reportsOfOrder(db: DbOrTx, orderId: string, statuses?: Report['status'][]) {
  return db
    .select()
    .from(reports)
    .where(and(eq(reports.orderId, orderId), statuses ? inArray(reports.status, statuses) : undefined))
    .orderBy(asc(reports.createdAt));
}

/** The lab's reports, last changed first. */
export async function reportsOfLab(db: DbOrTx, labId: string, status: Report['status'] | undefined, limit: number) {
  return db
    .select()
    .from(reports)
    .where(and(eq(reports.labId, labId), status ? eq(reports.status, status) : undefined))
    .orderBy(desc(reports.updatedAt))
    .limit(limit);
}

/** The open (draft or reviewed) replacement of the report, if any. */
export async function findOpenReplacementOf(db: DbOrTx, reportId: string) {
  const [row] = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.replacesReportId, reportId), inArray(reports.status, ['draft', 'reviewed'])))
    .limit(1);
  return row;
}

export async function insertReport(db: DbOrTx, values: NewReport): Promise<Report> {
  const [row] = await db.insert(reports).values(values).returning();
  return row!;
}

/** Updates the report (only while it is in `whileStatus`, when given); undefined when it was not. */
export async function updateReport(
  db: DbOrTx,
  id: string,
  changes: ReportChanges,
  whileStatus?: Report['status'],
): Promise<Report | undefined> {
  const [row] = await db
    .update(reports)
    .set(changes)
    .where(and(eq(reports.id, id), whileStatus ? eq(reports.status, whileStatus) : undefined))
    .returning();
  return row;
}

/** Marks the report replaced by `byReportId` (its status only if it is issued); returns its number. */
export async function markReportReplaced(db: DbOrTx, id: string, byReportId: string, now: Date) {
  const [old] = await db
    .update(reports)
    .set({
      status: sql`CASE WHEN ${reports.status} = 'issued' THEN 'replaced'::report_status ELSE ${reports.status} END`,
      replacedByReportId: byReportId,
      updatedAt: now,
    })
    .where(eq(reports.id, id))
    .returning({ number: reports.number });
  return old?.number ?? null;
}

export async function reportNumberTaken(db: DbOrTx, number: string): Promise<boolean> {
  const [taken] = await db.select({ id: reports.id }).from(reports).where(eq(reports.number, number)).limit(1);
  return !!taken;
}

export async function reportNumberOf(db: DbOrTx, id: string): Promise<string | null> {
  const [row] = await db.select({ number: reports.number }).from(reports).where(eq(reports.id, id));
  return row?.number ?? null;
}

export async function setReportPdf(db: DbOrTx, id: string, pdfPath: string, pdfSha256: string): Promise<void> {
  await db.update(reports).set({ pdfPath, pdfSha256 }).where(eq(reports.id, id));
}

/** Issued (or since replaced or revoked) reports issued by `before` that still have no PDF. */
export async function reportsWithoutPdf(db: DbOrTx, before: Date, limit: number): Promise<string[]> {
  const { rows } = await db.execute<{ id: string }>(sql`
    SELECT id FROM reports
    WHERE status IN ('issued', 'replaced', 'revoked') AND pdf_sha256 IS NULL
      AND issued_at <= ${before.toISOString()}::timestamptz
    ORDER BY issued_at LIMIT ${limit}`);
  return rows.map((r) => r.id);
}

/** What public verification shows of an issued (or replaced or revoked) report, by its code. */
export async function findVerifiableReport(db: DbOrTx, code: string) {
  const { rows } = await db.execute<{
    number: string | null;
    kind: string;
    status: Report['status'];
    issued_at: string | Date | null;
    revoked_at: string | Date | null;
    pdf_sha256: string | null;
    name_zh: string;
    name_en: string;
    replaced_by: string | null;
  }>(sql`
    SELECT r.number, r.kind, r.status, r.issued_at, r.revoked_at, r.pdf_sha256, o.name_zh, o.name_en,
           nr.number AS replaced_by
    FROM reports r JOIN organisations o ON o.id = r.lab_id
      LEFT JOIN reports nr ON nr.id = r.replaced_by_report_id AND nr.status IN ('issued', 'replaced', 'revoked')
    WHERE r.verification_code = ${code} AND r.status IN ('issued', 'replaced', 'revoked')
    LIMIT 1`);
  return rows[0];
}

/** The latest drafted/submitted/returned event of the report on its order's timeline. */
export async function latestReviewAction(db: DbOrTx, orderId: string, reportId: string) {
  const { rows } = await db.execute<{ action: string }>(sql`
    SELECT action FROM order_events
    WHERE order_id = ${orderId}::uuid AND data->>'reportId' = ${reportId}
      AND action IN ('report.drafted', 'report.submitted', 'report.returned')
    ORDER BY id DESC LIMIT 1`);
  return rows[0]?.action;
}

// ---------------------------------------------------------------------------------------------
// What a report shows of its order, lab and people

export async function userNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function orderNumbers(db: DbOrTx, orderIds: string[]): Promise<Map<string, string>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db
    .select({ id: orders.id, number: orders.number })
    .from(orders)
    .where(inArray(orders.id, orderIds));
  return new Map(rows.map((o) => [o.id, o.number]));
}

export async function findOrder(db: DbOrTx, id: string) {
  const [order] = await db.select().from(orders).where(eq(orders.id, id));
  return order;
}

/** The lab's qualification certificates valid on `date`. */
export async function qualificationsValidOn(db: DbOrTx, labId: string, date: string) {
  return db
    .select({ kind: qualifications.kind, number: qualifications.number })
    .from(qualifications)
    .where(
      and(
        eq(qualifications.labId, labId),
        lte(qualifications.issuedOn, date),
        gte(qualifications.validUntil, date),
        // Withdrawn from `withdrawnOn` on: a report issued earlier keeps its mark.
        or(isNull(qualifications.withdrawnOn), gt(qualifications.withdrawnOn, date)),
      ),
    );
}

export async function samplesOfOrder(db: DbOrTx, orderId: string) {
  return db.select().from(orderSamples).where(eq(orderSamples.orderId, orderId)).orderBy(asc(orderSamples.code));
}

/** The order's lines that were not removed, in order. */
export async function activeLinesOfOrder(db: DbOrTx, orderId: string) {
  return db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), isNull(orderLines.removedAt)))
    .orderBy(asc(orderLines.position));
}

/** The order's lines that were not removed, in order, locked for the caller's transaction. */
export async function lockActiveLinesOfOrder(db: DbOrTx, orderId: string) {
  return db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), isNull(orderLines.removedAt)))
    .orderBy(asc(orderLines.position))
    .for('update');
}

/** The order's live reports (draft, reviewed, issued) with the lines they cover, oldest first. */
export async function liveReportsOfOrder(db: DbOrTx, orderId: string) {
  return db
    .select({
      id: reports.id,
      status: reports.status,
      lineIds: reports.lineIds,
      replacesReportId: reports.replacesReportId,
    })
    .from(reports)
    .where(and(eq(reports.orderId, orderId), inArray(reports.status, ['draft', 'reviewed', 'issued'])))
    .orderBy(asc(reports.createdAt));
}

/** Ids of all the order's lines, removed ones included. */
export async function lineIdsOfOrder(db: DbOrTx, orderId: string): Promise<Set<string>> {
  const rows = await db.select({ id: orderLines.id }).from(orderLines).where(eq(orderLines.orderId, orderId));
  return new Set(rows.map((l) => l.id));
}

export async function setOrderObjectionUntil(db: DbOrTx, orderId: string, objectionUntil: Date, now: Date) {
  await db.update(orders).set({ objectionUntil, updatedAt: now }).where(eq(orders.id, orderId));
}

export async function isLabMember(db: DbOrTx, labId: string, userId: string): Promise<boolean> {
  const [m] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, labId), eq(memberships.userId, userId)))
    .limit(1);
  return !!m;
}

// ---------------------------------------------------------------------------------------------
// Authorised signatories

export async function isActiveSignatory(db: DbOrTx, labId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: labSignatories.userId })
    .from(labSignatories)
    .where(and(eq(labSignatories.labId, labId), eq(labSignatories.userId, userId), isNull(labSignatories.revokedAt)))
    .limit(1);
  return !!row;
}

/** The lab's signatories (or the one user's row), by name. */
export async function signatoriesOfLab(db: DbOrTx, labId: string, userId?: string) {
  return db
    .select({
      userId: labSignatories.userId,
      name: users.displayName,
      email: users.email,
      scopeZh: labSignatories.scopeZh,
      createdAt: labSignatories.createdAt,
      revokedAt: labSignatories.revokedAt,
    })
    .from(labSignatories)
    .innerJoin(users, eq(users.id, labSignatories.userId))
    .where(and(eq(labSignatories.labId, labId), userId ? eq(labSignatories.userId, userId) : undefined))
    .orderBy(asc(users.displayName));
}

export type SignatoryRow = Awaited<ReturnType<typeof signatoriesOfLab>>[number];

/** The member of the lab with this (normalised) email, if any. */
export async function findLabMemberByEmail(db: DbOrTx, labId: string, email: string) {
  const [member] = await db
    .select({ userId: users.id })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, labId)))
    .where(eq(users.email, email))
    .limit(1);
  return member;
}

/** Names the user a signatory of the lab, or renews a withdrawn authorisation with the new scope. */
export async function upsertSignatory(
  db: DbOrTx,
  signatory: { labId: string; userId: string; scopeZh: string; createdAt: Date },
): Promise<void> {
  await db
    .insert(labSignatories)
    .values(signatory)
    .onConflictDoUpdate({
      target: [labSignatories.labId, labSignatories.userId],
      set: { scopeZh: signatory.scopeZh, revokedAt: null },
    });
}

/** Withdraws an active authorisation; false when there was none. */
export async function revokeSignatory(db: DbOrTx, labId: string, userId: string, at: Date): Promise<boolean> {
  const [row] = await db
    .update(labSignatories)
    .set({ revokedAt: at })
    .where(and(eq(labSignatories.labId, labId), eq(labSignatories.userId, userId), isNull(labSignatories.revokedAt)))
    .returning({ userId: labSignatories.userId });
  return !!row;
}
