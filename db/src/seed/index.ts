/**
 * Demo and reference seed.
 *
 * Idempotent by construction: every row has a deterministic key (ids from `stableId`, natural keys for
 * regions and categories) and is written with `INSERT … ON CONFLICT DO NOTHING`, so a second run
 * inserts nothing and never overwrites a column — not even a timestamp. Passwords are hashed only for
 * users that do not exist yet (argon2 hashes are salted). The only UPDATEs are the search-text refresh
 * of seeded rows, which recomputes the same value, and raising the order-number sequence to the
 * seeded numbers (never lowering it). Order timelines are written only with their order (see orders.ts).
 */
import { count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from '../client.ts';
import { hashPassword } from '../password.ts';
import {
  instrumentCategories,
  instrumentUnits,
  instruments,
  memberships,
  orderEvents,
  orders,
  organisations,
  qualificationScopeItems,
  qualifications,
  regions,
  serviceInstruments,
  services,
  sites,
  trainingRecords,
  users,
} from '../schema/index.ts';
import { refreshInstrumentSearch, refreshServiceSearch } from '../search.ts';
import { DEMO_INSTRUMENTS, DEMO_PASSWORD, DEMO_SERVICES } from './constants.ts';
import { ENTERPRISES, OPERATORS, PLATFORMS, USERS } from './data/accounts.ts';
import { LABS } from './data/labs.ts';
import { INSTRUMENT_CATEGORIES, REGIONS } from './data/reference.ts';
import { creditCode, instrumentId, orgId, serviceId, siteId, stableId, userId } from './ids.ts';
import { seedOrderFlow } from './orders.ts';
import { seedDemoInvoices } from './invoices.ts';
import { seedBookingHistory } from './bookings-history.ts';
import { seedVouchers } from './data/vouchers.ts';
import { seedTypicalCases } from './data/cases.ts';
import { seedAdmissionDemo } from './admission.ts';
import { validateSeedData } from './validate.ts';

/** Provincial market regulators that issue the demo labs' CMA certificates (资质认定), by province code. */
const CMA_ISSUERS: Record<string, string> = {
  '31': '上海市市场监督管理局',
  '32': '江苏省市场监督管理局',
  '33': '浙江省市场监督管理局',
  '44': '广东省市场监督管理局',
};
const issuerOf = (kind: 'cma' | 'cnas', regionCode: string) =>
  kind === 'cnas' ? '中国合格评定国家认可委员会' : (CMA_ISSUERS[regionCode.slice(0, 2)] ?? '国家市场监督管理总局');

export * from './constants.ts';
export { stableId, creditCode } from './ids.ts';
export type { LabKey } from './data/types.ts';
export { validateSeedData } from './validate.ts';
export { DEMO_ORDERS } from './orders.ts';
export { DEMO_CASE_IDS } from './data/cases.ts';
export { DEMO_APPLICANT_LAB_IDS } from './admission.ts';
export { REGIONS } from './data/reference.ts';

export interface SeedCount {
  /** Rows this run inserted. */
  inserted: number;
  /** Rows in the table (of that kind) after the run. */
  total: number;
}

export interface SeedSummary {
  regions: SeedCount;
  categories: SeedCount;
  platforms: SeedCount;
  labs: SeedCount;
  enterprises: SeedCount;
  sites: SeedCount;
  qualifications: SeedCount;
  instruments: SeedCount;
  instrumentUnits: SeedCount;
  services: SeedCount;
  users: SeedCount;
  memberships: SeedCount;
  orders: SeedCount;
  orderEvents: SeedCount;
}

// ───────────────────────────── reference data ─────────────────────────────

async function insertReference(db: DbOrTx): Promise<{ regions: number; categories: number }> {
  let regionRows = 0;
  // Parents first, one level per statement.
  for (const level of ['province', 'city', 'station'] as const) {
    const rows = REGIONS.filter((r) => r.level === level);
    if (rows.length === 0) continue;
    const done = await db.insert(regions).values(rows).onConflictDoNothing().returning({ code: regions.code });
    regionRows += done.length;
  }
  const categories = await db
    .insert(instrumentCategories)
    .values(INSTRUMENT_CATEGORIES.map((c, i) => ({ ...c, sortOrder: (i + 1) * 10 })))
    .onConflictDoNothing()
    .returning({ code: instrumentCategories.code });
  return { regions: regionRows, categories: categories.length };
}

/** GB/T 2260 regions of the demo cities and the instrument categories; needed even without demo data. */
export async function seedReference(db: Db | DbOrTx): Promise<void> {
  await insertReference(db);
}

// ───────────────────────────── demo data ─────────────────────────────

const CHAMBER_CATEGORIES = new Set(['salt_spray', 'climate_chamber']);

function unitLabel(category: string, position: number): string {
  return CHAMBER_CATEGORIES.has(category) ? `${position}号箱` : `${position}号机`;
}

async function countRows(db: DbOrTx, table: PgTable, where?: SQL): Promise<number> {
  const rows = await db.select({ n: count() }).from(table).where(where);
  return rows[0]?.n ?? 0;
}

/** Seeds reference data, then the demo organisations, catalogue and accounts, in one transaction. */
export async function seedDemo(db: Db, options: { now?: Date } = {}): Promise<SeedSummary> {
  /** The seed run's clock: the demo's admission notice is dated from it (see seed/admission.ts). */
  const now = options.now ?? new Date();
  validateSeedData();
  return db.transaction(async (tx) => {
    const ref = await insertReference(tx);

    // Platforms: province → city → station (parents first).
    let platformRows = 0;
    for (const p of PLATFORMS) {
      const done = await tx
        .insert(organisations)
        .values({
          id: orgId(p.key),
          kind: 'platform',
          status: 'active',
          nameZh: p.nameZh,
          nameEn: p.nameEn,
          creditCode: p.credit ? creditCode(p.credit.prefix, p.credit.region, p.credit.body) : null,
          regionCode: p.regionCode,
          platformLevel: p.level,
          parentId: p.parentKey ? orgId(p.parentKey) : null,
          descriptionZh: p.descriptionZh,
          descriptionEn: p.descriptionEn,
          contactPhone: p.contactPhone,
          contactEmail: p.contactEmail,
          website: p.website,
        })
        .onConflictDoNothing()
        .returning({ id: organisations.id });
      platformRows += done.length;
    }

    const labRows = await tx
      .insert(organisations)
      .values(
        LABS.map((l) => ({
          id: orgId(`lab:${l.key}`),
          kind: 'lab' as const,
          status: 'active' as const,
          nameZh: l.nameZh,
          nameEn: l.nameEn,
          creditCode: creditCode(l.credit.prefix, l.credit.region, l.credit.body),
          regionCode: l.regionCode,
          labType: l.labType,
          descriptionZh: l.descriptionZh,
          descriptionEn: l.descriptionEn,
          contactPhone: l.contactPhone,
          contactEmail: l.contactEmail,
          website: l.website,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: organisations.id });

    const enterpriseRows = await tx
      .insert(organisations)
      .values(
        ENTERPRISES.map((e) => ({
          id: orgId(e.key),
          kind: 'enterprise' as const,
          status: 'active' as const,
          nameZh: e.nameZh,
          nameEn: e.nameEn,
          creditCode: e.credit ? creditCode(e.credit.prefix, e.credit.region, e.credit.body) : null,
          regionCode: e.regionCode,
          enterpriseSize: e.size,
          industryCode: e.industryCode,
          descriptionZh: e.descriptionZh,
          descriptionEn: e.descriptionEn,
          contactPhone: e.contactPhone,
          contactEmail: e.contactEmail,
          website: e.website,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: organisations.id });

    const siteRows = await tx
      .insert(sites)
      .values(
        LABS.flatMap((l) =>
          l.sites.map((s) => ({
            id: siteId(l.key, s.key),
            labId: orgId(`lab:${l.key}`),
            nameZh: s.nameZh,
            nameEn: s.nameEn,
            timeZone: 'Asia/Shanghai',
            regionCode: s.regionCode,
            addressZh: s.addressZh,
            addressEn: s.addressEn,
          })),
        ),
      )
      .onConflictDoNothing()
      .returning({ id: sites.id });

    const quals = LABS.flatMap((l) =>
      l.qualifications.map((q) => ({ lab: l, q, id: stableId(`qualification:${q.kind}:${q.number}`) })),
    );
    let qualRows = 0;
    if (quals.length > 0) {
      const done = await tx
        .insert(qualifications)
        .values(
          quals.map(({ lab, q, id }) => ({
            id,
            labId: orgId(`lab:${lab.key}`),
            siteId: q.siteKey ? siteId(lab.key, q.siteKey) : null,
            kind: q.kind,
            number: q.number,
            issuedOn: q.issuedOn,
            validUntil: q.validUntil,
            issuingBody: issuerOf(q.kind, lab.regionCode),
          })),
        )
        .onConflictDoNothing()
        .returning({ id: qualifications.id });
      qualRows = done.length;
      await tx
        .insert(qualificationScopeItems)
        .values(
          quals.flatMap(({ q, id }) =>
            q.scope.map((s) => ({
              id: stableId(`scope:${id}:${s.parameterZh}:${s.standardCode}`),
              qualificationId: id,
              productZh: s.productZh ?? '',
              parameterZh: s.parameterZh,
              parameterEn: s.parameterEn,
              standardCode: s.standardCode,
            })),
          ),
        )
        .onConflictDoNothing();
    }

    const labByKey = new Map(LABS.map((l) => [l.key, l]));
    const instrumentRows = await tx
      .insert(instruments)
      .values(
        DEMO_INSTRUMENTS.map((i) => {
          const lab = labByKey.get(i.lab)!;
          return {
            id: instrumentId(i.key),
            labId: orgId(`lab:${i.lab}`),
            siteId: siteId(i.lab, i.site ?? lab.sites[0]!.key),
            nameZh: i.nameZh,
            nameEn: i.nameEn,
            model: i.model,
            manufacturer: i.manufacturer,
            categoryCode: i.category,
            techniques: i.techniques,
            specs: i.specs,
            descriptionZh: i.descriptionZh,
            descriptionEn: i.descriptionEn,
            unitCount: i.units ?? 1,
            status: i.status ?? ('active' as const),
            photoUrl: null,
            internalRateHour: i.rates.ih ?? null,
            externalRateHour: i.rates.eh ?? null,
            internalRateSample: i.rates.is ?? null,
            externalRateSample: i.rates.es ?? null,
            currency: 'CNY',
          };
        }),
      )
      .onConflictDoNothing()
      .returning({ id: instruments.id });

    const unitRows = await tx
      .insert(instrumentUnits)
      .values(
        DEMO_INSTRUMENTS.flatMap((i) =>
          Array.from({ length: i.units ?? 1 }, (_, n) => ({
            id: stableId(`instrument-unit:${i.key}:${n + 1}`),
            instrumentId: instrumentId(i.key),
            label: unitLabel(i.category, n + 1),
            position: n + 1,
            active: true,
          })),
        ),
      )
      .onConflictDoNothing()
      .returning({ id: instrumentUnits.id });

    const serviceRows = await tx
      .insert(services)
      .values(
        DEMO_SERVICES.map((s) => ({
          id: serviceId(s.key),
          labId: orgId(`lab:${s.lab}`),
          kind: s.kind,
          nameZh: s.nameZh,
          nameEn: s.nameEn,
          descriptionZh: s.descriptionZh,
          descriptionEn: s.descriptionEn,
          standardMethods: s.standards,
          priceModel: s.priceModel,
          priceAmount: s.price,
          currency: 'CNY',
          turnaroundDays: s.turnaroundDays,
          status: 'active' as const,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: services.id });

    const links = DEMO_SERVICES.flatMap((s) =>
      (s.instruments ?? []).map((k) => ({ serviceId: serviceId(s.key), instrumentId: instrumentId(k) })),
    );
    if (links.length > 0) await tx.insert(serviceInstruments).values(links).onConflictDoNothing();

    // Users: hash once, and only when some demo user is missing (hashes are salted). Operators are
    // people too, with a platform-wide role and no membership.
    const people = [
      ...USERS.map((u) => ({ ...u, systemRole: null })),
      ...OPERATORS.map((o) => ({ ...o, systemRole: 'operator' as const })),
    ];
    const emails = USERS.map((u) => u.email);
    const existing = await tx
      .select({ email: users.email })
      .from(users)
      .where(
        inArray(
          users.email,
          people.map((p) => p.email),
        ),
      );
    const have = new Set(existing.map((u) => u.email));
    const missing = people.filter((u) => !have.has(u.email));
    let userRows = 0;
    if (missing.length > 0) {
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      const done = await tx
        .insert(users)
        .values(
          missing.map((u) => ({
            id: userId(u.email),
            email: u.email,
            passwordHash,
            displayName: u.displayName,
            phone: u.phone,
            locale: 'zh-CN',
            systemRole: u.systemRole,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: users.id });
      userRows = done.length;
    }
    const ids = await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, emails));
    const idByEmail = new Map(ids.map((u) => [u.email, u.id]));
    const membershipRows = await tx
      .insert(memberships)
      .values(USERS.map((u) => ({ userId: idByEmail.get(u.email)!, orgId: orgId(u.orgKey), role: u.role })))
      .onConflictDoNothing()
      .returning({ userId: memberships.userId });

    // Demo operators are trained on every instrument of their lab, so assisted bookings work.
    const trained = USERS.filter((u) => u.role === 'operator' && u.orgKey.startsWith('lab:')).flatMap((u) =>
      DEMO_INSTRUMENTS.filter((i) => `lab:${i.lab}` === u.orgKey).map((i) => ({
        id: stableId(`training:${u.email}:${i.key}`),
        labId: orgId(u.orgKey),
        instrumentId: instrumentId(i.key),
        userId: idByEmail.get(u.email)!,
        qualifiedAt: new Date('2025-01-06T01:00:00Z'),
        note: '演示数据：仪器操作培训合格 (demo: trained operator)',
      })),
    );
    if (trained.length > 0) await tx.insert(trainingRecords).values(trained).onConflictDoNothing();

    // Issue 4: order flow, conversation, ratings, calibration recalls, assistance and events.
    const flow = await seedOrderFlow(tx, idByEmail);
    // Issue 11: the demo orders' invoices, payments and ledger journals.
    await seedDemoInvoices(tx);
    await seedVouchers(tx);
    // Issue 12: two published typical cases (典型案例) of the Jiangsu demo.
    await seedTypicalCases(tx, idByEmail);
    // Issue 12: past instrument time of the Jiangsu labs, billed and paid.
    await seedBookingHistory(tx);
    // Issue 12: applications awaiting the platform (one on 公示 with an objection, one submitted).
    await seedAdmissionDemo(tx, now);

    await refreshInstrumentSearch(
      tx,
      DEMO_INSTRUMENTS.map((i) => instrumentId(i.key)),
    );
    await refreshServiceSearch(
      tx,
      DEMO_SERVICES.map((s) => serviceId(s.key)),
    );
    // The statistics rollups (migration statistics-rollups) counted each row as it was written, some
    // before the rows they read (an order's report before its lines): recount them from the records.
    await tx.execute(sql`SELECT rebuild_statistics_rollups()`);

    const total = (table: PgTable, where?: SQL) => countRows(tx, table, where);
    return {
      regions: { inserted: ref.regions, total: await total(regions) },
      categories: { inserted: ref.categories, total: await total(instrumentCategories) },
      platforms: { inserted: platformRows, total: await total(organisations, eq(organisations.kind, 'platform')) },
      labs: { inserted: labRows.length, total: await total(organisations, eq(organisations.kind, 'lab')) },
      enterprises: {
        inserted: enterpriseRows.length,
        total: await total(organisations, eq(organisations.kind, 'enterprise')),
      },
      sites: { inserted: siteRows.length, total: await total(sites) },
      qualifications: { inserted: qualRows, total: await total(qualifications) },
      instruments: { inserted: instrumentRows.length, total: await total(instruments) },
      instrumentUnits: { inserted: unitRows.length, total: await total(instrumentUnits) },
      services: { inserted: serviceRows.length, total: await total(services) },
      users: { inserted: userRows, total: await total(users) },
      memberships: { inserted: membershipRows.length, total: await total(memberships) },
      orders: { inserted: flow.orders, total: await total(orders) },
      orderEvents: { inserted: flow.events, total: await total(orderEvents) },
    };
  });
}
