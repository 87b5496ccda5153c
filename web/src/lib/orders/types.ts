// Shapes of the order, report and conversation endpoints, taken from the generated OpenAPI types
// so that a change in the API schema shows up here as a type error instead of a blank page.
import type { components, paths } from '$lib/api/schema';
import type { Ok } from '$lib/api-response';

export { ORDER_STATUSES, type OrderStatus } from '$lib/types';

export type ExpediteTier = components['schemas']['ExpediteTier'];

export type OrderDetail = Ok<paths['/v1/orders/{id}']['get']>;
export type Side = OrderDetail['viewerSide'];
export type Order = OrderDetail['order'];
export type OrderLine = OrderDetail['lines'][number];
export type OrderSample = OrderDetail['samples'][number];
export type OrderEvent = OrderDetail['timeline'][number];
export type Objection = OrderDetail['objections'][number];
export type OrderReportBrief = OrderDetail['reports'][number];
export type OrderBookingBrief = OrderDetail['bookings'][number];
export type OrderPage = Ok<paths['/v1/orders']['get']>;

export type Report = Ok<paths['/v1/reports/{id}']['get']>;
export type ReportStatus = Report['status'];
export type Verification = Ok<paths['/v1/reports/verify/{code}']['get']>;

export type MessageList = Ok<paths['/v1/orders/{id}/messages']['get']>;
export type Message = MessageList['items'][number];
export type Attachment = Message['attachments'][number];
export type OrderRating = Ok<paths['/v1/orders/{id}/rating']['get']>;
export type Rating = NonNullable<OrderRating['rating']>;

/** The lab's expedite percentages (its order settings, or the programme's defaults). */
export interface ExpediteRates {
  h72: number;
  h24: number;
  h8: number;
}
export const DEFAULT_EXPEDITE_RATES: ExpediteRates = { h72: 30, h24: 100, h8: 150 };
