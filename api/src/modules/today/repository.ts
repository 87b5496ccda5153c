import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';

/** The instants that bound a lab's day, as the Today page reads it (China time, app clock). */
export interface TodayWindow {
  now: Date;
  /** Start and end of today's China date: check-ins start inside it, check-outs end before its end. */
  dayStart: Date;
  dayEnd: Date;
  /** End of the next working day: an order due by then is "due". */
  dueBy: Date;
  /** Today's China date (YYYY-MM-DD): an invoice due before it is overdue. */
  today: string;
}

export const TODAY_SECTIONS = [
  'approvals',
  'checkIns',
  'checkOuts',
  'toQuote',
  'samplesExpected',
  'reportsToReview',
  'reportsToSign',
  'dueSoon',
  'overdue',
  'samplesDue',
  'bankLines',
  'overdueInvoices',
] as const;
export type TodaySection = (typeof TODAY_SECTIONS)[number];
/** Sections about money: only for the members who keep the lab's books. */
export const MONEY_SECTIONS: readonly TodaySection[] = ['bankLines', 'overdueInvoices'];

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
/** Order statuses in which the turnaround clock runs (the orders module's due and overdue sweeps). */
const CLOCK = sql`('samples_received', 'in_progress', 'report_review')`;

/**
 * Each section as a set: FROM … WHERE … of the rows it holds, the ordering its list is read in, and
 * the columns of one list row. Counting and listing share the same FROM/WHERE, so they agree.
 */
interface SectionSql {
  from: SQL;
  order: SQL;
  row: SQL;
}

/** Reports whose draft is with the reviewer: the latest submit/return/draft event is a submit. */
const submitted = sql`(
  SELECT e.action FROM order_events e
  WHERE e.order_id = r.order_id AND e.data->>'reportId' = r.id::text
    AND e.action IN ('report.drafted', 'report.submitted', 'report.returned')
  ORDER BY e.id DESC LIMIT 1) = 'report.submitted'`;

function sections(labId: string, w: TodayWindow): Record<TodaySection, SectionSql> {
  const booking = (where: SQL): SectionSql => ({
    from: sql`bookings b JOIN instruments i ON i.id = b.instrument_id
      JOIN organisations c ON c.id = b.customer_org_id JOIN users u ON u.id = b.user_id
      WHERE b.lab_id = ${labId}::uuid AND ${where}`,
    order: sql`b.starts_at, b.id`,
    row: sql`b.id, NULL::uuid AS order_id, NULL::text AS ref, i.name_zh AS title_zh, i.name_en AS title_en,
      c.name_zh AS customer_zh, c.name_en AS customer_en, u.display_name AS person,
      b.starts_at AS at, b.ends_at AS until, NULL::text AS date, NULL::bigint AS amount, b.status::text AS status`,
  });
  const order = (where: SQL, at: SQL): SectionSql => ({
    from: sql`orders o JOIN organisations c ON c.id = o.customer_org_id
      JOIN users u ON u.id = o.requested_by WHERE o.lab_id = ${labId}::uuid AND ${where}`,
    order: sql`${at}, o.id`,
    row: sql`o.id, o.id AS order_id, o.number AS ref, o.title_zh, o.title_zh AS title_en,
      c.name_zh AS customer_zh, c.name_en AS customer_en, u.display_name AS person,
      ${at} AS at, NULL::timestamptz AS until, NULL::text AS date, o.total_fen::bigint AS amount,
      o.status::text AS status`,
  });
  const report = (where: SQL, at: SQL): SectionSql => ({
    from: sql`reports r JOIN orders o ON o.id = r.order_id JOIN organisations c ON c.id = o.customer_org_id
      LEFT JOIN users u ON u.id = r.tester_id WHERE r.lab_id = ${labId}::uuid AND ${where}`,
    order: sql`${at}, r.id`,
    row: sql`r.id, o.id AS order_id, o.number AS ref, o.title_zh, o.title_zh AS title_en,
      c.name_zh AS customer_zh, c.name_en AS customer_en, u.display_name AS person,
      ${at} AS at, NULL::timestamptz AS until, NULL::text AS date, NULL::bigint AS amount,
      r.status::text AS status`,
  });
  return {
    approvals: booking(sql`b.status = 'pending_approval'`),
    checkIns: booking(
      sql`b.status = 'confirmed' AND b.starts_at >= ${ts(w.dayStart)} AND b.starts_at < ${ts(w.dayEnd)}`,
    ),
    checkOuts: booking(sql`b.status = 'in_use' AND b.ends_at < ${ts(w.dayEnd)}`),
    toQuote: order(sql`o.status = 'requested'`, sql`o.created_at`),
    samplesExpected: order(sql`o.status IN ('accepted', 'awaiting_samples') AND o.needs_samples`, sql`o.accepted_at`),
    reportsToReview: report(sql`r.status = 'draft' AND ${submitted}`, sql`r.updated_at`),
    reportsToSign: report(sql`r.status = 'reviewed'`, sql`r.reviewed_at`),
    dueSoon: order(
      sql`o.status IN ${CLOCK} AND o.due_at >= ${ts(w.now)} AND o.due_at <= ${ts(w.dueBy)}`,
      sql`o.due_at`,
    ),
    overdue: order(sql`o.status IN ${CLOCK} AND o.due_at < ${ts(w.now)}`, sql`o.due_at`),
    // 样品待退还/待处置: samples on the lab's shelf (their latest custody entry; one out for testing
    // is not due until it is back) once the report
    // is out and the objection window (异议期) has passed with no objection open, or the order ended.
    // Read on the app clock, so the list moves with it; status is the commission form's choice.
    samplesDue: {
      from: sql`order_samples s JOIN orders o ON o.id = s.order_id
        JOIN organisations c ON c.id = o.customer_org_id
        JOIN LATERAL (SELECT e.step FROM sample_custody_entries e WHERE e.sample_id = s.id
          ORDER BY e.id DESC LIMIT 1) last ON true
        WHERE o.lab_id = ${labId}::uuid AND last.step IN ('received', 'stored', 'back')
          AND (o.status IN ('closed', 'cancelled')
            OR (o.status = 'report_issued' AND o.objection_until <= ${ts(w.now)}
              AND NOT EXISTS (SELECT 1 FROM order_objections x WHERE x.order_id = o.id AND x.status = 'open')))`,
      order: sql`coalesce(least(o.closed_at, o.objection_until), o.cancelled_at), s.code`,
      row: sql`s.id, o.id AS order_id, s.code AS ref, s.name_zh AS title_zh, s.name_zh AS title_en,
        c.name_zh AS customer_zh, c.name_en AS customer_en, nullif(s.storage_location, '') AS person,
        coalesce(least(o.closed_at, o.objection_until), o.cancelled_at) AS at, NULL::timestamptz AS until, NULL::text AS date,
        NULL::bigint AS amount, coalesce(o.commission->>'leftoverSamples', 'return') AS status`,
    },
    bankLines: {
      from: sql`bank_statement_lines l WHERE l.lab_id = ${labId}::uuid AND l.status IN ('suggested', 'unmatched')`,
      order: sql`l.txn_date, l.id`,
      row: sql`l.id, NULL::uuid AS order_id, l.remark AS ref, l.counterparty AS title_zh, l.counterparty AS title_en,
        NULL::text AS customer_zh, NULL::text AS customer_en, NULL::text AS person, NULL::timestamptz AS at, NULL::timestamptz AS until,
        l.txn_date::text AS date, l.amount_fen::bigint AS amount, l.status::text AS status`,
    },
    overdueInvoices: {
      from: sql`invoices v JOIN organisations c ON c.id = v.customer_org_id
        WHERE v.lab_id = ${labId}::uuid AND v.kind = 'invoice' AND v.status IN ('open', 'partially_paid')
          AND v.due_date < ${w.today}::date`,
      order: sql`v.due_date, v.id`,
      row: sql`v.id, NULL::uuid AS order_id, v.number AS ref, c.name_zh AS title_zh, c.name_en AS title_en,
        c.name_zh AS customer_zh, c.name_en AS customer_en, NULL::text AS person, NULL::timestamptz AS at,
        NULL::timestamptz AS until, v.due_date::text AS date,
        (v.total_fen - v.voucher_share_fen - v.amount_paid_fen - v.amount_credited_fen)::bigint AS amount,
        v.status::text AS status`,
    },
  };
}

export interface TodayRow {
  section: TodaySection;
  id: string;
  orderId: string | null;
  ref: string | null;
  titleZh: string;
  titleEn: string;
  customerZh: string | null;
  customerEn: string | null;
  person: string | null;
  at: Date | null;
  until: Date | null;
  date: string | null;
  amount: number | null;
  status: string;
}

/**
 * The counts of every section in one statement (one COUNT per section, each over its set), and the
 * first `limit` rows of each in a second: two round trips whatever the lab's size.
 */
export async function todayFigures(
  db: DbOrTx,
  labId: string,
  w: TodayWindow,
  wanted: readonly TodaySection[],
  limit: number,
): Promise<{ counts: Map<TodaySection, number>; rows: TodayRow[] }> {
  const all = sections(labId, w);
  const counts = sql.join(
    wanted.map((k) => sql`(SELECT count(*)::int FROM ${all[k].from}) AS ${sql.identifier(k)}`),
    sql`, `,
  );
  const lists = sql.join(
    wanted.map(
      (k) =>
        sql`(SELECT ${k}::text AS section, ${all[k].row} FROM ${all[k].from} ORDER BY ${all[k].order} LIMIT ${limit})`,
    ),
    sql` UNION ALL `,
  );
  const [countRes, listRes] = await Promise.all([
    db.execute<Record<string, number>>(sql`SELECT ${counts}`),
    db.execute<{
      section: TodaySection;
      id: string;
      order_id: string | null;
      ref: string | null;
      title_zh: string;
      title_en: string;
      customer_zh: string | null;
      customer_en: string | null;
      person: string | null;
      at: string | Date | null;
      until: string | Date | null;
      date: string | null;
      amount: string | number | null;
      status: string;
    }>(lists),
  ]);
  const countRow = countRes.rows[0] ?? {};
  const asDate = (v: string | Date | null) => (v === null ? null : new Date(v));
  return {
    counts: new Map(wanted.map((k) => [k, Number(countRow[k] ?? 0)])),
    rows: listRes.rows.map((r) => ({
      section: r.section,
      id: r.id,
      orderId: r.order_id,
      ref: r.ref,
      titleZh: r.title_zh,
      titleEn: r.title_en,
      customerZh: r.customer_zh,
      customerEn: r.customer_en,
      person: r.person,
      at: asDate(r.at),
      until: asDate(r.until),
      date: r.date,
      amount: r.amount === null ? null : Number(r.amount),
      status: r.status,
    })),
  };
}

/** Whether the person is one of the lab's authorised signatories (授权签字人) today. */
export async function isSignatory(db: DbOrTx, labId: string, userId: string): Promise<boolean> {
  const { rows } = await db.execute<{ ok: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM lab_signatories
      WHERE lab_id = ${labId}::uuid AND user_id = ${userId}::uuid AND revoked_at IS NULL) AS ok`);
  return rows[0]?.ok === true;
}
