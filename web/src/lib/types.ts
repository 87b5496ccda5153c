// Names for the shapes the API returns, taken from the generated OpenAPI types so that a change in
// the API schema shows up here as a type error instead of a blank page.
import type { components, paths } from '$lib/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;
type Body<Op> = Op extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

export type Problem = components['schemas']['Problem'];
export type Me = Ok<paths['/v1/auth/me']['get']>;
export type Membership = Me['memberships'][number];
export type Stats = Ok<paths['/v1/stats']['get']>;
export type Category = Ok<paths['/v1/categories']['get']>['items'][number];
export type Region = Ok<paths['/v1/regions']['get']>['items'][number];
export type InstrumentSummary = Ok<paths['/v1/instruments']['get']>['items'][number];
export type InstrumentDetail = Ok<paths['/v1/instruments/{id}']['get']>;
export type ServiceSummary = Ok<paths['/v1/services']['get']>['items'][number];
export type SearchSuggestion = Ok<paths['/v1/instruments']['get']>['suggestions'][number];
export type SearchPlace = Ok<paths['/v1/instruments']['get']>['places'][number];
export type ServiceDetail = Ok<paths['/v1/services/{id}']['get']>;
export type LabDetail = Ok<paths['/v1/labs/{id}']['get']>;
export type LabQualification = InstrumentDetail['labQualifications'][number];
export type InstrumentInput = Body<paths['/v1/labs/{labId}/instruments']['post']>;
export type RegisterInput = Body<paths['/v1/auth/register']['post']>;
export type Money = NonNullable<InstrumentSummary['rates']['externalHour']>;
export type ServiceKind = ServiceSummary['kind'];
export type LabType = NonNullable<LabDetail['labType']>;
export type SortKey = NonNullable<NonNullable<paths['/v1/instruments']['get']['parameters']['query']>['sort']>;
export type OrderStatus = components['schemas']['OrderStatus'];

/**
 * A list of every member of the API's union `T`, checked both ways when compiling: a value the API
 * does not know fails, and so does a list that misses one the API has added.
 */
export const everyOf =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> })) =>
    list as L;

/** The eleven QI service kinds, in the order the programme lists them. */
export const SERVICE_KINDS = [
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
] as const satisfies readonly ServiceKind[];

/** Enterprise size classes (统计上大中小微型企业划分办法) and GB/T 4754-2017 industry sections. */
export const ENTERPRISE_SIZES = ['micro', 'small', 'medium', 'large'] as const;
export type EnterpriseSize = (typeof ENTERPRISE_SIZES)[number];
export const INDUSTRY_SECTIONS = 'ABCDEFGHIJKLMNOPQRST'.split('');

export const LAB_TYPES = [
  'testing_institute',
  'university',
  'metrology',
  'materials',
  'emc',
  'food_chemical',
  'other',
] as const satisfies readonly LabType[];

/** The order statuses, in the order an order passes through them. */
export const ORDER_STATUSES = everyOf<OrderStatus>()([
  'requested',
  'quoted',
  'accepted',
  'awaiting_samples',
  'samples_received',
  'in_progress',
  'report_review',
  'report_issued',
  'closed',
  'cancelled',
  'expired',
]);

export const SORT_KEYS = [
  'relevance',
  'name',
  'price_asc',
  'price_desc',
  'newest',
] as const satisfies readonly SortKey[];

/** A field error as the pages show it: the API's stable code plus its English text as a fallback. */
export interface FieldError {
  code: string;
  message: string;
}
export type FieldErrors = Record<string, FieldError>;

/** Cities under their province, for a <select> with <optgroup>s. */
export interface RegionGroup {
  province: Region | null;
  cities: Region[];
}
