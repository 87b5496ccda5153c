import { asc, eq, inArray, sql } from 'drizzle-orm';
import {
  organisations,
  qualificationScopeItems,
  qualifications,
  regions,
  sites,
  type DbOrTx,
  type Organisation,
} from '@qihub/db';

export async function findLab(db: DbOrTx, id: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id)).limit(1);
  return row?.kind === 'lab' ? row : undefined;
}

export async function sitesOfLab(db: DbOrTx, labId: string) {
  return db.select().from(sites).where(eq(sites.labId, labId)).orderBy(asc(sites.nameZh));
}

/** The lab's qualifications with `valid` computed for the given local date. */
export async function qualificationsOf(db: DbOrTx, labId: string, today: string) {
  const rows = await db
    .select()
    .from(qualifications)
    .where(eq(qualifications.labId, labId))
    .orderBy(qualifications.kind, qualifications.number);
  return rows.map((q) => ({
    id: q.id,
    kind: q.kind,
    number: q.number,
    issuedOn: q.issuedOn,
    validUntil: q.validUntil,
    valid: q.issuedOn <= today && q.validUntil >= today && (q.withdrawnOn === null || q.withdrawnOn > today),
  }));
}

export async function scopeItemsOf(db: DbOrTx, qualificationIds: string[]) {
  if (qualificationIds.length === 0) return [];
  return db
    .select()
    .from(qualificationScopeItems)
    .where(inArray(qualificationScopeItems.qualificationId, qualificationIds))
    .orderBy(qualificationScopeItems.standardCode, qualificationScopeItems.parameterZh);
}

export async function regionByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(regions).where(eq(regions.code, code)).limit(1);
  return row;
}

export async function catalogueCounts(db: DbOrTx, labId: string) {
  const result = await db.execute(sql`
    SELECT (SELECT count(*) FROM instruments WHERE lab_id = ${labId}::uuid AND status <> 'retired')::int AS instruments,
           (SELECT count(*) FROM services WHERE lab_id = ${labId}::uuid AND status = 'active')::int AS services`);
  return result.rows[0] as { instruments: number; services: number };
}

/** One line of a lab's scope that a scope search matched, with the certificate it is listed on. */
export interface ScopeMatchRow {
  labId: string;
  kind: 'cma' | 'cnas';
  number: string;
  validUntil: string;
  productZh: string;
  parameterZh: string;
  parameterEn: string;
  standardCode: string;
}

export interface ScopeSearchFilter {
  /** A POSIX regular expression matched against the standard number without spaces, upper case. */
  standardPattern: string | null;
  /** Lower-case words looked for inside the parameter or product, Chinese or English. */
  text: string;
  /** GB/T 2260 prefix the lab's region must start with; '' for anywhere. */
  regionPrefix: string;
  /** YYYY-MM-DD, China time: only certificates valid that day count. */
  today: string;
}

// The scope items that match, on certificates valid today, of admitted labs in the region.
function matchingItems(f: ScopeSearchFilter) {
  const standard = f.standardPattern
    ? sql`upper(regexp_replace(si.standard_code, '[[:space:]]', '', 'g')) ~ ${f.standardPattern}`
    : sql`false`;
  return sql`
    FROM lab_qualification_scope_items si
    JOIN lab_qualifications q ON q.id = si.qualification_id
    JOIN organisations lab ON lab.id = q.lab_id
    WHERE lab.kind = 'lab' AND lab.status = 'active'
      AND q.issued_on <= ${f.today}::date AND q.valid_until >= ${f.today}::date
      AND lab.region_code LIKE ${`${f.regionPrefix}%`}
      AND (${standard}
        OR strpos(lower(si.parameter_zh), ${f.text}) > 0
        OR strpos(lower(si.parameter_en), ${f.text}) > 0
        OR strpos(lower(si.product_zh), ${f.text}) > 0)`;
}

/** A page of the labs with a matching scope item, by Chinese name then id, after the cursor's lab. */
export async function labsWithScopeMatching(
  db: DbOrTx,
  f: ScopeSearchFilter,
  after: { nameZh: string; id: string } | null,
  limit: number,
) {
  const afterClause = after ? sql`WHERE (l.name_zh, l.id) > (${after.nameZh}, ${after.id}::uuid)` : sql``;
  const result = await db.execute(sql`
    SELECT l.id, l.name_zh AS "nameZh", l.name_en AS "nameEn", l.region_code AS "regionCode",
           l.lab_type AS "labType", city.name_zh AS "cityZh", city.name_en AS "cityEn"
    FROM (SELECT DISTINCT lab.id, lab.name_zh, lab.name_en, lab.region_code, lab.lab_type ${matchingItems(f)}) l
    LEFT JOIN regions city ON city.code = substr(l.region_code, 1, 4) || '00'
    ${afterClause}
    ORDER BY l.name_zh, l.id
    LIMIT ${limit}`);
  return result.rows as {
    id: string;
    nameZh: string;
    nameEn: string;
    regionCode: string;
    labType: Organisation['labType'];
    cityZh: string | null;
    cityEn: string | null;
  }[];
}

/** The matching scope items of the given labs, CMA before CNAS, by standard and parameter. */
export async function scopeMatchesOf(db: DbOrTx, f: ScopeSearchFilter, labIds: string[]): Promise<ScopeMatchRow[]> {
  if (labIds.length === 0) return [];
  const result = await db.execute(sql`
    SELECT lab.id AS "labId", q.kind, q.number, q.valid_until::text AS "validUntil",
           si.product_zh AS "productZh", si.parameter_zh AS "parameterZh", si.parameter_en AS "parameterEn",
           si.standard_code AS "standardCode"
    ${matchingItems(f)}
      AND lab.id IN (${sql.join(
        labIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
    ORDER BY q.kind, si.standard_code, si.parameter_zh, si.id`);
  return result.rows as unknown as ScopeMatchRow[];
}
