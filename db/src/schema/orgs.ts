import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  char,
  check,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { enterpriseSize, labType, memberRole, orgKind, orgStatus, platformLevel, systemRole } from './enums.ts';

/** GB/T 2260 administrative divisions (6-digit codes): province 320000, city 320500, district 320506. */
export const regions = pgTable(
  'regions',
  {
    code: char('code', { length: 6 }).primaryKey(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    level: platformLevel('level').notNull(),
    parentCode: char('parent_code', { length: 6 }).references((): AnyPgColumn => regions.code),
  },
  (t) => [check('regions_code_digits', sql`${t.code} ~ '^[0-9]{6}$'`)],
);
export type Region = typeof regions.$inferSelect;

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: orgKind('kind').notNull(),
    status: orgStatus('status').notNull().default('active'),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull().default(''),
    /** 统一社会信用代码 (GB 32100-2015), 18 characters with check character. */
    creditCode: char('credit_code', { length: 18 }),
    regionCode: char('region_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    labType: labType('lab_type'),
    /** Platform hierarchy: province platform → city platform → service station. */
    platformLevel: platformLevel('platform_level'),
    parentId: uuid('parent_id').references((): AnyPgColumn => organisations.id),
    descriptionZh: text('description_zh').notNull().default(''),
    descriptionEn: text('description_en').notNull().default(''),
    contactPhone: text('contact_phone'),
    contactEmail: text('contact_email'),
    website: text('website'),
    /** Enterprises: size class (micro / small / medium / large) and industry (GB/T 4754-2017 section letter, e.g. "C"). */
    enterpriseSize: enterpriseSize('enterprise_size'),
    industryCode: text('industry_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organisations_credit_code_uq').on(t.creditCode),
    index('organisations_kind_region_idx').on(t.kind, t.regionCode),
    check('organisations_enterprise_credit_code', sql`${t.kind} <> 'enterprise' OR ${t.creditCode} IS NOT NULL`),
    check('organisations_industry_code', sql`${t.industryCode} IS NULL OR ${t.industryCode} ~ '^[A-T]$'`),
    check('organisations_platform_level', sql`(${t.kind} = 'platform') = (${t.platformLevel} IS NOT NULL)`),
  ],
);
export type Organisation = typeof organisations.$inferSelect;

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased; unique. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    phone: text('phone'),
    locale: text('locale').notNull().default('zh-CN'),
    /** A platform-wide role (see `systemRole`); null for almost everyone. */
    systemRole: systemRole('system_role'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email), check('users_email_lower', sql`${t.email} = lower(${t.email})`)],
);
export type User = typeof users.$inferSelect;

export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: memberRole('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.orgId] }), index('memberships_org_idx').on(t.orgId)],
);
export type Membership = typeof memberships.$inferSelect;

/** Browser sessions and bearer tokens from login; only a SHA-256 of the token is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
  },
  (t) => [uniqueIndex('sessions_token_hash_uq').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** Long-lived tokens a lab creates for its own integrations (LIMS, instrument PCs). */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    /** First characters of the token, shown in lists so a person can tell tokens apart. */
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    role: memberRole('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_org_idx').on(t.orgId)],
);
export type ApiToken = typeof apiTokens.$inferSelect;
