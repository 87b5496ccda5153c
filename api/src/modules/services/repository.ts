import { and as dAnd, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { instruments, refreshServiceSearch, serviceInstruments, services, type DbOrTx, type Service } from '@qihub/db';
import type { CursorKey } from '../../lib/cursor.ts';
import {
  catalogueColumns,
  countCatalogue,
  countCatalogueByCity,
  searchCatalogue,
  validQualificationKinds,
  type CatalogueSearch,
} from '../../lib/repository/catalogue-search.ts';

export interface ServiceSearch extends CatalogueSearch {
  kind?: string;
  statuses: ('active' | 'retired')[];
  /** Lab consoles list their own services even while the lab is pending admission. */
  includeInactiveLabs?: boolean;
}

export interface ServiceRow extends Omit<Service, 'searchText' | 'createdAt' | 'updatedAt' | 'retiredAt'> {
  /** Raw timestamps (the driver's text form); turn into ISO with `new Date(…)`. */
  createdAt: string | Date;
  updatedAt: string | Date;
  labZh: string;
  labStatus: 'pending' | 'active' | 'suspended';
  labEn: string;
  labRegion: string;
  cityZh: string | null;
  cityEn: string | null;
  qualifications: string[];
  sortKey: CursorKey | Date;
}

const SERVICE_FROM = sql`
    FROM services s
      JOIN organisations lab ON lab.id = s.lab_id
      LEFT JOIN regions city ON city.code = substr(lab.region_code, 1, 4) || '00'`;

const S = { ...catalogueColumns('s', 's.price_amount', 'lab.region_code'), from: SERVICE_FROM };

function selectServiceRows(today: string, sortKey: SQL) {
  return sql`
    SELECT s.id, s.lab_id AS "labId", s.kind, s.name_zh AS "nameZh", s.name_en AS "nameEn",
      s.description_zh AS "descriptionZh", s.description_en AS "descriptionEn",
      s.standard_methods AS "standardMethods", s.price_model AS "priceModel", s.price_amount AS "priceAmount",
      s.currency, s.turnaround_days AS "turnaroundDays", s.status,
      s.created_at AS "createdAt", s.updated_at AS "updatedAt",
      lab.name_zh AS "labZh", lab.name_en AS "labEn", lab.status AS "labStatus", lab.region_code AS "labRegion",
      city.name_zh AS "cityZh", city.name_en AS "cityEn",
      ${validQualificationKinds(sql`s.lab_id`, today)} AS qualifications, ${sortKey} AS "sortKey"
    ${SERVICE_FROM}`;
}

function ownConditions(s: Pick<ServiceSearch, 'includeInactiveLabs' | 'kind'>) {
  return [
    s.includeInactiveLabs ? undefined : sql`lab.status = 'active'`,
    s.kind ? sql`s.kind = ${s.kind}::service_kind` : undefined,
  ];
}

export function searchServices(db: DbOrTx, s: ServiceSearch): Promise<ServiceRow[]> {
  return searchCatalogue(db, S, 'service_status', s, (key) => selectServiceRows(s.today, key), ownConditions(s));
}

export type ServiceCount = Omit<ServiceSearch, 'cursor' | 'sort' | 'limit'>;

export function countServices(db: DbOrTx, s: ServiceCount): Promise<number> {
  return countCatalogue(db, S, 'service_status', s, ownConditions(s));
}

export function countServicesByCity(db: DbOrTx, s: ServiceCount, limit: number) {
  return countCatalogueByCity(db, S, 'service_status', s, ownConditions(s), limit);
}

export async function findServiceRow(db: DbOrTx, id: string, today: string): Promise<ServiceRow | undefined> {
  const result = await db.execute(sql`${selectServiceRows(today, sql`NULL`)} WHERE s.id = ${id}::uuid`);
  return result.rows[0] as unknown as ServiceRow | undefined;
}

export async function findService(db: DbOrTx, id: string, lock = false) {
  const q = db.select().from(services).where(eq(services.id, id)).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function instrumentsOfService(db: DbOrTx, serviceId: string) {
  return db
    .select({
      id: instruments.id,
      nameZh: instruments.nameZh,
      nameEn: instruments.nameEn,
      categoryCode: instruments.categoryCode,
    })
    .from(serviceInstruments)
    .innerJoin(instruments, eq(instruments.id, serviceInstruments.instrumentId))
    .where(eq(serviceInstruments.serviceId, serviceId))
    .orderBy(instruments.nameZh);
}

/** Ids among `ids` that are instruments of `labId` (and not retired). */
export async function instrumentsOfLab(db: DbOrTx, labId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: instruments.id })
    .from(instruments)
    .where(dAnd(eq(instruments.labId, labId), inArray(instruments.id, ids), sql`${instruments.status} <> 'retired'`));
  return rows.map((r) => r.id);
}

export type ServiceValues = Omit<typeof services.$inferInsert, 'id' | 'createdAt' | 'searchText'>;

export async function insertService(db: DbOrTx, values: ServiceValues) {
  const [row] = await db.insert(services).values(values).returning();
  await refreshServiceSearch(db, [row!.id]);
  return row!;
}

export async function updateService(db: DbOrTx, id: string, values: Partial<ServiceValues>) {
  const [row] = await db.update(services).set(values).where(eq(services.id, id)).returning();
  await refreshServiceSearch(db, [id]);
  return row!;
}

export async function setServiceInstruments(db: DbOrTx, serviceId: string, instrumentIds: string[]) {
  await db.delete(serviceInstruments).where(eq(serviceInstruments.serviceId, serviceId));
  if (instrumentIds.length > 0) {
    await db.insert(serviceInstruments).values(instrumentIds.map((instrumentId) => ({ serviceId, instrumentId })));
  }
}
