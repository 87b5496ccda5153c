// Shapes of the order API as the console uses them, taken from the generated OpenAPI types.
import type { paths } from '$lib/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;

export type OrderDetail = Ok<paths['/v1/orders/{id}']['get']>;
export type OrderView = OrderDetail['order'];
export type OrderLineView = OrderDetail['lines'][number];
export type OrderSampleView = OrderDetail['samples'][number];
export type OrderEventView = OrderDetail['timeline'][number];
export type OrderBookingView = OrderDetail['bookings'][number];
export type ObjectionView = OrderDetail['objections'][number];
export type OrderListItem = Ok<paths['/v1/orders']['get']>['items'][number];
export type ReportView = Ok<paths['/v1/reports/{id}']['get']>;
export type OrderSettingsView = Ok<paths['/v1/labs/{id}/order-settings']['get']>;
export type SignatoryView = Ok<paths['/v1/labs/{id}/signatories']['get']>['items'][number];

/** What an order form action answers (success or refusal), as the page's components read it. */
export interface ActionResult {
  action: string;
  target: string | null;
  ok?: true;
  code?: string | null;
  values?: Record<string, string>;
  fieldErrors?: Record<string, { code: string; message: string }>;
}

/** The result of `action` (optionally on one target), or null when the last form was another. */
export function resultFor(form: ActionResult | null | undefined, action: string, target?: string | null) {
  if (!form || form.action !== action) return null;
  if (target !== undefined && form.target !== target) return null;
  return form;
}

/** The lab's valid scope items and how each line of the order matches them (the quote editor's choice). */
export type ScopeMatches = Ok<paths['/v1/orders/{id}/scope-matches']['get']>;
export type ScopeItemView = ScopeMatches['items'][number];
