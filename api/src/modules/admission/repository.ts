import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import {
  admissionCases,
  admissionObjections,
  organisations,
  qualifications,
  regions,
  sites,
  type AdmissionApplication,
  type AdmissionCase,
  type DbOrTx,
  type Organisation,
} from '@qihub/db';

export interface LabApplicationRow {
  id: string;
  nameZh: string;
  nameEn: string;
  status: 'pending' | 'active' | 'suspended';
  labType: Organisation['labType'];
  regionCode: string;
  regionZh: string | null;
  regionEn: string | null;
  creditCode: string | null;
  createdAt: Date;
  admissionStatus: AdmissionCase['status'] | null;
  exitStatus: AdmissionCase['status'] | null;
  noticeEndsAt: Date | null;
}

/** Labs whose region starts with one of the prefixes (the actor's platform scopes). */
export async function labsInRegions(
  db: DbOrTx,
  prefixes: string[],
  status: string | undefined,
  limit: number,
  after: { key: string; id: string } | undefined,
) {
  if (prefixes.length === 0) return [];
  const result = await db.execute(sql`
    SELECT o.id, o.name_zh AS "nameZh", o.name_en AS "nameEn", o.status, o.lab_type AS "labType",
      o.region_code AS "regionCode", r.name_zh AS "regionZh", r.name_en AS "regionEn",
      o.credit_code AS "creditCode", o.created_at AS "createdAt",
      adm.status AS "admissionStatus", ex.status AS "exitStatus",
      CASE WHEN ex.created_at > adm.created_at OR adm.created_at IS NULL THEN ex.notice_ends_at
           ELSE adm.notice_ends_at END AS "noticeEndsAt"
    FROM organisations o
    LEFT JOIN regions r ON r.code = o.region_code
    LEFT JOIN LATERAL (
      SELECT status, notice_ends_at, created_at FROM admission_cases
      WHERE lab_id = o.id AND kind = 'admission'
      ORDER BY status IN ('rejected', 'admitted'), created_at DESC, id DESC LIMIT 1
    ) adm ON true
    LEFT JOIN LATERAL (
      SELECT status, notice_ends_at, created_at FROM admission_cases
      WHERE lab_id = o.id AND kind = 'exit' ORDER BY created_at DESC, id DESC LIMIT 1
    ) ex ON true
    WHERE o.kind = 'lab'
      AND (${status ?? null}::text IS NULL OR o.status::text = ${status ?? null})
      AND (${sql.join(
        prefixes.map((p) => sql`o.region_code LIKE ${p + '%'}`),
        sql` OR `,
      )})
      ${after ? sql`AND (date_trunc('milliseconds', o.created_at), o.id) < (${after.key}::timestamptz, ${after.id}::uuid)` : sql``}
    ORDER BY date_trunc('milliseconds', o.created_at) DESC, o.id DESC
    LIMIT ${limit + 1}`);
  return result.rows as unknown as LabApplicationRow[];
}

/** The lab's organisation status moves only from the states given (the check is in the update). */
export async function setLabStatus(
  db: DbOrTx,
  id: string,
  from: Organisation['status'][],
  to: Organisation['status'],
  now: Date,
) {
  const result = await db.execute(sql`
    UPDATE organisations SET status = ${to}, updated_at = ${now.toISOString()}::timestamptz
    WHERE id = ${id}::uuid AND kind = 'lab'
      AND status::text IN (${sql.join(
        from.map((s) => sql`${s}`),
        sql`, `,
      )})
    RETURNING id, status`);
  return result.rows[0] as { id: string; status: Organisation['status'] } | undefined;
}

/**
 * The lab's current admission case: its latest (a lab rejected or gone may apply again, each time a
 * new case; the earlier ones stay as its history). Locked for update when asked.
 */
export async function admissionCaseOf(db: DbOrTx, labId: string, lock = false) {
  const q = db
    .select()
    .from(admissionCases)
    .where(and(eq(admissionCases.labId, labId), eq(admissionCases.kind, 'admission')))
    // The open case if there is one (at most one, by a unique index), else the latest closed one.
    .orderBy(
      sql`${admissionCases.status} IN ('rejected', 'admitted')`,
      desc(admissionCases.createdAt),
      desc(admissionCases.id),
    )
    .limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** All the lab's cases (admissions and exits), newest first: its history with the platform. */
export async function casesOfLab(db: DbOrTx, labId: string) {
  return db
    .select()
    .from(admissionCases)
    .where(eq(admissionCases.labId, labId))
    .orderBy(desc(admissionCases.createdAt), desc(admissionCases.id));
}

/** The names of a GB/T 2260 region. */
export async function regionName(db: DbOrTx, code: string) {
  const [row] = await db
    .select({ zh: regions.nameZh, en: regions.nameEn })
    .from(regions)
    .where(eq(regions.code, code))
    .limit(1);
  return row;
}

/** The lab's latest exit case. */
export async function latestExitCaseOf(db: DbOrTx, labId: string, lock = false) {
  const q = db
    .select()
    .from(admissionCases)
    .where(and(eq(admissionCases.labId, labId), eq(admissionCases.kind, 'exit')))
    .orderBy(desc(admissionCases.createdAt))
    .limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function findCase(db: DbOrTx, id: string) {
  const [row] = await db.select().from(admissionCases).where(eq(admissionCases.id, id)).limit(1);
  return row;
}

export async function insertCase(db: DbOrTx, values: typeof admissionCases.$inferInsert) {
  const [row] = await db.insert(admissionCases).values(values).returning();
  return row!;
}

/** Moves a case only from the states given; undefined when it had moved on. */
export async function updateCase(
  db: DbOrTx,
  id: string,
  from: AdmissionCase['status'][],
  patch: Partial<Omit<typeof admissionCases.$inferInsert, 'id' | 'labId' | 'kind'>>,
) {
  const [row] = await db
    .update(admissionCases)
    .set(patch)
    .where(
      and(
        eq(admissionCases.id, id),
        sql`${admissionCases.status}::text IN (${sql.join(
          from.map((s) => sql`${s}`),
          sql`, `,
        )})`,
      ),
    )
    .returning();
  return row;
}

export interface PublicNoticeRow {
  id: string;
  kind: 'admission' | 'exit';
  labNameZh: string;
  labNameEn: string;
  regionCode: string;
  regionZh: string;
  regionEn: string;
  cityZh: string | null;
  cityEn: string | null;
  application: AdmissionApplication | null;
  noticeStartsAt: Date;
  noticeEndsAt: Date;
}

/** Notices ever published (公示), newest first, keyset-paged on the start. */
export async function publicNotices(db: DbOrTx, limit: number, after: { key: string; id: string } | undefined) {
  const result = await db.execute(sql`
    SELECT c.id, c.kind, o.name_zh AS "labNameZh", o.name_en AS "labNameEn", o.region_code AS "regionCode",
      r.name_zh AS "regionZh", r.name_en AS "regionEn", city.name_zh AS "cityZh", city.name_en AS "cityEn",
      adm.application, c.notice_starts_at AS "noticeStartsAt", c.notice_ends_at AS "noticeEndsAt"
    FROM admission_cases c
    JOIN organisations o ON o.id = c.lab_id
    JOIN regions r ON r.code = o.region_code
    LEFT JOIN regions city ON city.code = substr(o.region_code, 1, 4) || '00' AND city.code <> o.region_code
    -- The application on notice: for an admission its own; for an exit the latest admission before it.
    LEFT JOIN LATERAL (
      SELECT a.application FROM admission_cases a
      WHERE a.lab_id = c.lab_id AND a.kind = 'admission' AND (c.kind = 'exit' OR a.id = c.id)
        AND a.created_at <= c.created_at
      ORDER BY a.created_at DESC, a.id DESC LIMIT 1
    ) adm ON true
    WHERE c.notice_starts_at IS NOT NULL
      ${after ? sql`AND (date_trunc('milliseconds', c.notice_starts_at), c.id) < (${after.key}::timestamptz, ${after.id}::uuid)` : sql``}
    ORDER BY date_trunc('milliseconds', c.notice_starts_at) DESC, c.id DESC
    LIMIT ${limit + 1}`);
  return result.rows as unknown as PublicNoticeRow[];
}

export async function insertObjection(db: DbOrTx, values: typeof admissionObjections.$inferInsert) {
  const [row] = await db.insert(admissionObjections).values(values).returning();
  return row!;
}

export async function objectionsOfLab(db: DbOrTx, labId: string) {
  return db
    .select({
      id: admissionObjections.id,
      caseId: admissionObjections.caseId,
      caseKind: admissionCases.kind,
      reason: admissionObjections.reason,
      contact: admissionObjections.contact,
      filedAt: admissionObjections.filedAt,
      handling: admissionObjections.handling,
      handledAt: admissionObjections.handledAt,
    })
    .from(admissionObjections)
    .innerJoin(admissionCases, eq(admissionCases.id, admissionObjections.caseId))
    .where(eq(admissionCases.labId, labId))
    .orderBy(asc(admissionObjections.filedAt), asc(admissionObjections.id));
}

/** The objection with the lab its case is about (for the region check). */
export async function findObjection(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ objection: admissionObjections, labId: admissionCases.labId, regionCode: organisations.regionCode })
    .from(admissionObjections)
    .innerJoin(admissionCases, eq(admissionCases.id, admissionObjections.caseId))
    .innerJoin(organisations, eq(organisations.id, admissionCases.labId))
    .where(eq(admissionObjections.id, id))
    .limit(1);
  return row;
}

export async function recordHandling(db: DbOrTx, id: string, handling: string, by: string | null, now: Date) {
  const [row] = await db
    .update(admissionObjections)
    .set({ handling, handledAt: now, handledBy: by })
    .where(eq(admissionObjections.id, id))
    .returning();
  return row!;
}

/**
 * On admission the certificates the lab declared become its qualifications (the CMA/CNAS marks of
 * the catalogue), with their scans. A number the lab already holds (it left and was admitted again)
 * takes the dates declared, the platform's confirmation — in force again, not withdrawn — and the scan
 * handed in this time (else it keeps its own); a number another lab holds is left as it is (unique
 * per kind).
 */
export async function upsertQualifications(
  db: DbOrTx,
  labId: string,
  certs: AdmissionApplication['certificates'],
  now: Date,
) {
  if (certs.length === 0) return;
  await db
    .insert(qualifications)
    .values(
      certs.map((c) => ({
        labId,
        kind: c.kind,
        number: c.number,
        issuedOn: c.validFrom,
        validUntil: c.validUntil,
        // The scan handed in with the application stays where it is and becomes the certificate's.
        ...(c.file
          ? {
              filePath: `admission/${labId}/${c.file.id}`,
              fileName: c.file.fileName,
              fileType: c.file.contentType,
              fileSizeBytes: c.file.sizeBytes,
            }
          : {}),
      })),
    )
    .onConflictDoUpdate({
      target: [qualifications.kind, qualifications.number],
      set: {
        issuedOn: sql`excluded.issued_on`,
        validUntil: sql`excluded.valid_until`,
        withdrawnOn: null,
        filePath: sql`coalesce(excluded.file_path, ${qualifications.filePath})`,
        fileName: sql`coalesce(excluded.file_name, ${qualifications.fileName})`,
        fileType: sql`coalesce(excluded.file_type, ${qualifications.fileType})`,
        fileSizeBytes: sql`coalesce(excluded.file_size_bytes, ${qualifications.fileSizeBytes})`,
        fileSha256: sql`case when excluded.file_path is null then ${qualifications.fileSha256} end`,
        updatedAt: now,
      },
      setWhere: sql`${qualifications.labId} = excluded.lab_id`,
    });
}

/**
 * A suspended or exiting lab's bookings that have not started: customers' and internal ones, not
 * the instrument time of an open order (the order carries on, see wind-down.ts).
 */
export async function futureBookingIds(db: DbOrTx, labId: string, now: Date) {
  const result = await db.execute(sql`
    SELECT id FROM bookings
    WHERE lab_id = ${labId}::uuid AND order_id IS NULL
      AND status IN ('held', 'pending_approval', 'confirmed')
      AND starts_at > ${now.toISOString()}::timestamptz
    ORDER BY starts_at, id`);
  return (result.rows as { id: string }[]).map((r) => r.id);
}

/** The lab's orders still under way: what its customers are told carries on. */
export async function openOrders(db: DbOrTx, labId: string) {
  const result = await db.execute(sql`
    SELECT id, number, customer_org_id AS "customerOrgId" FROM orders
    WHERE lab_id = ${labId}::uuid
      AND status NOT IN ('report_issued', 'closed', 'cancelled', 'expired')
    ORDER BY created_at, id`);
  return result.rows as { id: string; number: string; customerOrgId: string }[];
}

/** The lab's sites, oldest first (what an admission matches the declared sites against). */
export async function sitesOfLab(db: DbOrTx, labId: string) {
  return db
    .select({ id: sites.id, nameZh: sites.nameZh, regionCode: sites.regionCode, addressZh: sites.addressZh })
    .from(sites)
    .where(eq(sites.labId, labId))
    .orderBy(asc(sites.createdAt), asc(sites.id));
}

export async function insertSite(db: DbOrTx, labId: string, site: AdmissionApplication['sites'][number]) {
  await db.insert(sites).values({ labId, nameZh: site.name, regionCode: site.regionCode, addressZh: site.address });
}

export async function updateSite(db: DbOrTx, siteId: string, site: AdmissionApplication['sites'][number]) {
  await db
    .update(sites)
    .set({ nameZh: site.name, regionCode: site.regionCode, addressZh: site.address })
    .where(eq(sites.id, siteId));
}

/** Which of the codes are GB/T 2260 regions the platform knows. */
export async function knownRegions(db: DbOrTx, codes: string[]) {
  if (codes.length === 0) return new Set<string>();
  const rows = await db.select({ code: regions.code }).from(regions).where(inArray(regions.code, codes));
  return new Set(rows.map((r) => r.code));
}

/** The admins of the active platforms whose region covers the lab's (province, city, station). */
export async function platformAdminsCovering(db: DbOrTx, regionCode: string) {
  const result = await db.execute(sql`
    SELECT DISTINCT m.user_id AS "userId"
    FROM organisations p
    JOIN memberships m ON m.org_id = p.id AND m.role = 'admin'
    WHERE p.kind = 'platform' AND p.status = 'active'
      AND ${regionCode} LIKE (CASE WHEN p.region_code LIKE '%0000' THEN substr(p.region_code, 1, 2)
                                   WHEN p.region_code LIKE '%00' THEN substr(p.region_code, 1, 4)
                                   ELSE p.region_code END) || '%'`);
  return (result.rows as { userId: string }[]).map((r) => r.userId);
}

export async function labOfCase(db: DbOrTx, caseId: string) {
  const [row] = await db
    .select({
      id: organisations.id,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
      regionCode: organisations.regionCode,
    })
    .from(admissionCases)
    .innerJoin(organisations, eq(organisations.id, admissionCases.labId))
    .where(eq(admissionCases.id, caseId))
    .limit(1);
  return row!;
}

/** The stored files of a lab's qualifications (an admitted application's scans become theirs). */
export async function qualificationFilePaths(db: DbOrTx, labId: string): Promise<string[]> {
  const rows = await db
    .select({ filePath: qualifications.filePath })
    .from(qualifications)
    .where(and(eq(qualifications.labId, labId), isNotNull(qualifications.filePath)));
  return rows.flatMap((r) => (r.filePath ? [r.filePath] : []));
}
