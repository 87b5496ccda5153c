import { pgEnum } from 'drizzle-orm/pg-core';

export const orgKind = pgEnum('org_kind', ['enterprise', 'lab', 'platform']);
export const orgStatus = pgEnum('org_status', ['pending', 'active', 'suspended']);
/** Platform hierarchy levels: a province platform, a city platform, a service station below it. */
/**
 * Enterprise size class per the national statistical classification (统计上大中小微型企业划分办法,
 * 国统字〔2017〕213号): asked at registration; null where the enterprise has not said.
 */
export const enterpriseSize = pgEnum('enterprise_size', ['micro', 'small', 'medium', 'large']);
export const ENTERPRISE_SIZES = enterpriseSize.enumValues;
export type EnterpriseSize = (typeof ENTERPRISE_SIZES)[number];
export const platformLevel = pgEnum('platform_level', ['province', 'city', 'station']);
export const labType = pgEnum('lab_type', [
  'testing_institute',
  'university',
  'metrology',
  'materials',
  'emc',
  'food_chemical',
  'other',
]);
export const memberRole = pgEnum('member_role', [
  // enterprise
  'owner',
  'member',
  // lab / provider
  'manager',
  'staff',
  'operator',
  // platform
  'admin',
  'service_officer',
]);
/**
 * Roles of a person across the whole platform, not in any organisation or region: the operators
 * (系统运维) who run the deployment — the job queue every region shares, for one. A platform
 * admin's role, by contrast, is a membership scoped to its platform's region.
 */
export const systemRole = pgEnum('system_role', ['operator']);
export type SystemRole = (typeof systemRole.enumValues)[number];
export const qualificationKind = pgEnum('qualification_kind', ['cma', 'cnas']);
export const instrumentStatus = pgEnum('instrument_status', ['active', 'maintenance', 'retired']);
/** Every kind of quality-infrastructure service the programme names (notice 2021-34). */
export const serviceKind = pgEnum('service_kind', [
  'instrument_time',
  'outsourced_experiment',
  'commissioned_test',
  'calibration',
  'standards',
  'certification',
  'quality_management',
  'technical_assistance',
  'training',
  'ip',
  'brand',
]);
export const priceModel = pgEnum('price_model', ['fixed', 'per_sample', 'per_hour', 'on_quote']);
export const serviceStatus = pgEnum('service_status', ['active', 'retired']);

export const SERVICE_KINDS = serviceKind.enumValues;
export type ServiceKind = (typeof SERVICE_KINDS)[number];
export const MEMBER_ROLES = memberRole.enumValues;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export type OrgKind = (typeof orgKind.enumValues)[number];

/** Which roles belong to which kind of organisation; memberships outside this map are refused. */
export const ROLES_BY_ORG_KIND: Record<OrgKind, readonly MemberRole[]> = {
  enterprise: ['owner', 'member'],
  lab: ['manager', 'staff', 'operator'],
  platform: ['admin', 'service_officer'],
};
