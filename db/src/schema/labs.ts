import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  char,
} from 'drizzle-orm/pg-core';
import { instrumentStatus, priceModel, qualificationKind, serviceKind, serviceStatus } from './enums.ts';
import { organisations, regions } from './orgs.ts';

export const sites = pgTable(
  'sites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull().default(''),
    /** IANA zone; opening hours and holidays are wall-clock rules in this zone. */
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    regionCode: char('region_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    addressZh: text('address_zh').notNull(),
    addressEn: text('address_en').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sites_lab_idx').on(t.labId), index('sites_region_idx').on(t.regionCode)],
);
export type Site = typeof sites.$inferSelect;

export const qualifications = pgTable(
  'lab_qualifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** CNAS scope is per site; null means the whole lab. */
    siteId: uuid('site_id').references(() => sites.id),
    kind: qualificationKind('kind').notNull(),
    /** CMA: 12 digits; CNAS: e.g. "CNAS L1234". */
    number: text('number').notNull(),
    issuedOn: date('issued_on').notNull(),
    validUntil: date('valid_until').notNull(),
    /**
     * Withdrawn by the lab (撤销): from this local date (China time) on the certificate no longer
     * counts, as if it had expired the day before; reports issued earlier keep their marks.
     */
    withdrawnOn: date('withdrawn_on'),
    /**
     * Who issued it (发证机关): a CMA certificate the market regulation administration of the
     * province (or SAMR for a national one), a CNAS accreditation 中国合格评定国家认可委员会.
     */
    issuingBody: text('issuing_body').notNull().default(''),
    /** The certificate's scan (PDF or image) under FILES_DIR, as uploaded by the lab. */
    filePath: text('file_path'),
    fileName: text('file_name'),
    fileType: text('file_type'),
    fileSha256: text('file_sha256'),
    fileSizeBytes: integer('file_size_bytes'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('lab_qualifications_kind_number_uq').on(t.kind, t.number),
    index('lab_qualifications_lab_idx').on(t.labId),
    check(
      'lab_qualifications_number_format',
      sql`(${t.kind} = 'cma' AND ${t.number} ~ '^[0-9]{12}$') OR (${t.kind} = 'cnas' AND ${t.number} ~ '^CNAS [LIPR][0-9]{4,5}$')`,
    ),
    check('lab_qualifications_dates', sql`${t.validUntil} > ${t.issuedOn}`),
  ],
);
export type Qualification = typeof qualifications.$inferSelect;

/** One accredited item: a parameter tested by a named standard method. */
export const qualificationScopeItems = pgTable(
  'lab_qualification_scope_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    qualificationId: uuid('qualification_id')
      .notNull()
      .references(() => qualifications.id, { onDelete: 'cascade' }),
    productZh: text('product_zh').notNull().default(''),
    parameterZh: text('parameter_zh').notNull(),
    parameterEn: text('parameter_en').notNull().default(''),
    standardCode: text('standard_code').notNull(),
  },
  (t) => [uniqueIndex('lab_qualification_scope_uq').on(t.qualificationId, t.parameterZh, t.standardCode)],
);
export type QualificationScopeItem = typeof qualificationScopeItems.$inferSelect;

export const instrumentCategories = pgTable('instrument_categories', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  /** Common abbreviations and synonyms in both languages, used by search ("扫描电镜", "SEM"). */
  aliases: text('aliases')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  sortOrder: integer('sort_order').notNull().default(0),
});
export type InstrumentCategory = typeof instrumentCategories.$inferSelect;

/** An instrument's uploaded photo, as kept in `instruments.photo`. */
export interface InstrumentPhoto {
  hash: string;
  /** One per stored width (e.g. 320 and 960 px), narrowest first; a narrow source is not enlarged. */
  variants: { width: number; height: number; name: string }[];
}

export const instruments = pgTable(
  'instruments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull().default(''),
    model: text('model').notNull().default(''),
    manufacturer: text('manufacturer').notNull().default(''),
    categoryCode: text('category_code')
      .notNull()
      .references(() => instrumentCategories.code),
    techniques: text('techniques')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    specs: jsonb('specs').$type<Record<string, string>>().notNull().default({}),
    descriptionZh: text('description_zh').notNull().default(''),
    descriptionEn: text('description_en').notNull().default(''),
    /** Number of identical units that can be booked at the same time. */
    unitCount: integer('unit_count').notNull().default(1),
    status: instrumentStatus('status').notNull().default('active'),
    /** An outside address of a photo, as set through the API before photos were uploaded. */
    photoUrl: text('photo_url'),
    /**
     * The uploaded photo (the cover of the catalogue card): the first 16 hex digits of the source's
     * SHA-256, which name its WebP variants under FILES_DIR/instrument-photos/<lab>/<instrument>/
     * and their public URLs, and each variant's size. Null: the category's illustration is shown.
     */
    photo: jsonb('photo').$type<InstrumentPhoto | null>(),
    /** Rates in fen (CNY minor units). Internal = users of the lab's own organisation. */
    internalRateHour: integer('internal_rate_hour'),
    externalRateHour: integer('external_rate_hour'),
    internalRateSample: integer('internal_rate_sample'),
    externalRateSample: integer('external_rate_sample'),
    currency: char('currency', { length: 3 }).notNull().default('CNY'),
    /** Denormalised text for catalogue search (names, model, category and aliases, lab). */
    searchText: text('search_text').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    index('instruments_lab_idx').on(t.labId),
    index('instruments_category_idx').on(t.categoryCode),
    index('instruments_search_trgm').using('gin', sql`${t.searchText} gin_trgm_ops`),
    check('instruments_unit_count', sql`${t.unitCount} BETWEEN 1 AND 100`),
    check(
      'instruments_rates_nonnegative',
      sql`coalesce(${t.internalRateHour}, 0) >= 0 AND coalesce(${t.externalRateHour}, 0) >= 0 AND coalesce(${t.internalRateSample}, 0) >= 0 AND coalesce(${t.externalRateSample}, 0) >= 0`,
    ),
  ],
);
export type Instrument = typeof instruments.$inferSelect;

/** Each bookable physical unit of an instrument; bookings will occupy one unit. */
export const instrumentUnits = pgTable(
  'instrument_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    instrumentId: uuid('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    position: integer('position').notNull(),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('instrument_units_position_uq').on(t.instrumentId, t.position)],
);

export const services = pgTable(
  'services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    kind: serviceKind('kind').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull().default(''),
    descriptionZh: text('description_zh').notNull().default(''),
    descriptionEn: text('description_en').notNull().default(''),
    /** Standard methods, e.g. "GB/T 228.1-2021". */
    standardMethods: text('standard_methods')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    priceModel: priceModel('price_model').notNull(),
    /** Price in fen for the price model's unit; null when priced on quote. */
    priceAmount: integer('price_amount'),
    currency: char('currency', { length: 3 }).notNull().default('CNY'),
    turnaroundDays: integer('turnaround_days'),
    status: serviceStatus('status').notNull().default('active'),
    searchText: text('search_text').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    index('services_lab_idx').on(t.labId),
    index('services_kind_idx').on(t.kind),
    index('services_search_trgm').using('gin', sql`${t.searchText} gin_trgm_ops`),
    check(
      'services_price_matches_model',
      sql`(${t.priceModel} = 'on_quote') = (${t.priceAmount} IS NULL) AND coalesce(${t.priceAmount}, 0) >= 0`,
    ),
    check('services_turnaround', sql`${t.turnaroundDays} IS NULL OR ${t.turnaroundDays} BETWEEN 0 AND 365`),
  ],
);
export type Service = typeof services.$inferSelect;

export const serviceInstruments = pgTable(
  'service_instruments',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    instrumentId: uuid('instrument_id')
      .notNull()
      .references(() => instruments.id),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.instrumentId] })],
);
