import { and as dAnd, eq, sql, type SQL } from 'drizzle-orm';
import {
  instrumentCategories,
  instrumentUnits,
  instruments,
  refreshInstrumentSearch,
  serviceInstruments,
  services,
  sites,
  type DbOrTx,
  type Instrument,
  type InstrumentPhoto,
} from '@qihub/db';
import type { CursorKey } from '../../lib/cursor.ts';
import { instrumentStandardMatch } from '../../lib/repository/instrument-standards.ts';
import {
  catalogueColumns,
  countCatalogue,
  countCatalogueByCity,
  searchCatalogue,
  validQualificationKinds,
  type CatalogueSearch,
} from '../../lib/repository/catalogue-search.ts';

export interface InstrumentSearch extends CatalogueSearch {
  category?: string;
  statuses: ('active' | 'maintenance' | 'retired')[];
  /** Lab consoles list their own instruments even while the lab is pending admission. */
  includeInactiveLabs?: boolean;
}

export interface InstrumentRow {
  id: string;
  labId: string;
  siteId: string;
  nameZh: string;
  nameEn: string;
  model: string;
  manufacturer: string;
  categoryCode: string;
  categoryZh: string;
  categoryEn: string;
  labZh: string;
  labStatus: 'pending' | 'active' | 'suspended';
  labEn: string;
  siteZh: string;
  siteEn: string;
  siteRegion: string;
  cityZh: string | null;
  cityEn: string | null;
  timeZone: string;
  status: 'active' | 'maintenance' | 'retired';
  photoUrl: string | null;
  photo: InstrumentPhoto | null;
  unitCount: number;
  internalRateHour: number | null;
  externalRateHour: number | null;
  internalRateSample: number | null;
  externalRateSample: number | null;
  currency: string;
  qualifications: string[];
  sortKey: CursorKey | Date;
}

const INSTRUMENT_FROM = sql`
    FROM instruments i
      JOIN instrument_categories c ON c.code = i.category_code
      JOIN organisations lab ON lab.id = i.lab_id
      JOIN sites st ON st.id = i.site_id
      LEFT JOIN regions city ON city.code = substr(st.region_code, 1, 4) || '00'`;

const I = {
  ...catalogueColumns('i', 'i.external_rate_hour', 'st.region_code'),
  from: INSTRUMENT_FROM,
  standardMatch: instrumentStandardMatch,
};

/** Extra columns of the detail view, fetched in the same query as the catalogue row. */
const DETAIL_COLUMNS = sql`, i.techniques, i.specs, i.description_zh AS "descriptionZh", i.description_en AS "descriptionEn",
  st.address_zh AS "addressZh", st.address_en AS "addressEn", i.created_at AS "createdAt", i.updated_at AS "updatedAt"`;

export interface InstrumentDetailRow extends InstrumentRow {
  techniques: string[];
  specs: Record<string, string>;
  descriptionZh: string;
  descriptionEn: string;
  addressZh: string;
  addressEn: string;
  createdAt: string | Date;
  updatedAt: string | Date;
}

function selectInstrumentRows(today: string, sortKey: SQL, detail = false) {
  return sql`
    SELECT i.id, i.lab_id AS "labId", i.site_id AS "siteId", i.name_zh AS "nameZh", i.name_en AS "nameEn",
      i.model, i.manufacturer, i.category_code AS "categoryCode", c.name_zh AS "categoryZh", c.name_en AS "categoryEn",
      lab.name_zh AS "labZh", lab.name_en AS "labEn", lab.status AS "labStatus", st.name_zh AS "siteZh", st.name_en AS "siteEn",
      st.region_code AS "siteRegion", city.name_zh AS "cityZh", city.name_en AS "cityEn", st.time_zone AS "timeZone",
      i.status, i.photo_url AS "photoUrl", i.photo, i.unit_count AS "unitCount",
      i.internal_rate_hour AS "internalRateHour", i.external_rate_hour AS "externalRateHour",
      i.internal_rate_sample AS "internalRateSample", i.external_rate_sample AS "externalRateSample",
      i.currency, ${validQualificationKinds(sql`i.lab_id`, today)} AS qualifications, ${sortKey} AS "sortKey"
      ${detail ? DETAIL_COLUMNS : sql``}
    ${INSTRUMENT_FROM}`;
}

function ownConditions(s: Pick<InstrumentSearch, 'includeInactiveLabs' | 'category'>) {
  return [
    s.includeInactiveLabs ? undefined : sql`lab.status = 'active'`,
    s.category ? sql`i.category_code = ${s.category}` : undefined,
  ];
}

export function searchInstruments(db: DbOrTx, s: InstrumentSearch): Promise<InstrumentRow[]> {
  return searchCatalogue(db, I, 'instrument_status', s, (key) => selectInstrumentRows(s.today, key), ownConditions(s));
}

export type InstrumentCount = Omit<InstrumentSearch, 'cursor' | 'sort' | 'limit'>;

export function countInstruments(db: DbOrTx, s: InstrumentCount): Promise<number> {
  return countCatalogue(db, I, 'instrument_status', s, ownConditions(s));
}

export function countInstrumentsByCity(db: DbOrTx, s: InstrumentCount, limit: number) {
  return countCatalogueByCity(db, I, 'instrument_status', s, ownConditions(s), limit);
}

export async function findInstrument(db: DbOrTx, id: string) {
  const [row] = await db.select().from(instruments).where(eq(instruments.id, id)).limit(1);
  return row;
}

export async function findInstrumentDetail(
  db: DbOrTx,
  id: string,
  today: string,
): Promise<InstrumentDetailRow | undefined> {
  const result = await db.execute(sql`${selectInstrumentRows(today, sql`NULL`, true)} WHERE i.id = ${id}::uuid`);
  return result.rows[0] as unknown as InstrumentDetailRow | undefined;
}

export async function servicesUsingInstrument(db: DbOrTx, instrumentId: string) {
  return db
    .select({ id: services.id, kind: services.kind, nameZh: services.nameZh, nameEn: services.nameEn })
    .from(serviceInstruments)
    .innerJoin(services, eq(services.id, serviceInstruments.serviceId))
    .where(dAnd(eq(serviceInstruments.instrumentId, instrumentId), eq(services.status, 'active')))
    .orderBy(services.nameZh);
}

export async function siteOfLab(db: DbOrTx, siteId: string, labId: string) {
  const [row] = await db
    .select({ id: sites.id })
    .from(sites)
    .where(dAnd(eq(sites.id, siteId), eq(sites.labId, labId)))
    .limit(1);
  return row;
}

export async function categoryExists(db: DbOrTx, code: string) {
  const [row] = await db
    .select({ code: instrumentCategories.code })
    .from(instrumentCategories)
    .where(eq(instrumentCategories.code, code))
    .limit(1);
  return !!row;
}

export type InstrumentValues = Omit<typeof instruments.$inferInsert, 'id' | 'createdAt' | 'searchText'>;

export async function insertInstrument(db: DbOrTx, values: InstrumentValues): Promise<Instrument> {
  const [row] = await db.insert(instruments).values(values).returning();
  await syncUnits(db, row!.id, row!.unitCount);
  await refreshInstrumentSearch(db, [row!.id]);
  return row!;
}

export async function updateInstrument(db: DbOrTx, id: string, values: Partial<InstrumentValues>): Promise<Instrument> {
  const [row] = await db.update(instruments).set(values).where(eq(instruments.id, id)).returning();
  await syncUnits(db, row!.id, row!.unitCount);
  await refreshInstrumentSearch(db, [row!.id]);
  return row!;
}

/** Keeps one bookable unit row per physical unit; surplus units are deactivated, never deleted. */
async function syncUnits(db: DbOrTx, instrumentId: string, count: number) {
  const existing = await db
    .select({ position: instrumentUnits.position })
    .from(instrumentUnits)
    .where(eq(instrumentUnits.instrumentId, instrumentId));
  const have = new Set(existing.map((u) => u.position));
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((p) => !have.has(p));
  if (missing.length > 0) {
    await db
      .insert(instrumentUnits)
      .values(missing.map((position) => ({ instrumentId, position, label: `#${position}` })));
  }
  await db
    .update(instrumentUnits)
    .set({ active: sql`${instrumentUnits.position} <= ${count}` })
    .where(eq(instrumentUnits.instrumentId, instrumentId));
}

export async function lockInstrument(db: DbOrTx, id: string) {
  const [row] = await db.select().from(instruments).where(eq(instruments.id, id)).for('update').limit(1);
  return row;
}

/** Sets (or, with null, clears) the uploaded photo of a locked instrument row. */
export async function setInstrumentPhoto(db: DbOrTx, id: string, photo: InstrumentPhoto | null, updatedAt: Date) {
  const [row] = await db.update(instruments).set({ photo, updatedAt }).where(eq(instruments.id, id)).returning();
  return row!;
}
