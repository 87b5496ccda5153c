// Shapes of the order API as the console uses them, taken from the generated OpenAPI types.
import type { paths } from '$lib/api/schema';
import type { Ok } from '$lib/api-response';
import type {
  Objection,
  Order,
  OrderBookingBrief,
  OrderDetail,
  OrderEvent,
  OrderLine,
  OrderPage,
  OrderSample,
  Report,
} from '$lib/orders/types';

// The console's names for the order's parts: the same shapes the customer's pages read.
export type { OrderDetail };
export type OrderView = Order;
export type OrderLineView = OrderLine;
export type OrderSampleView = OrderSample;
export type OrderEventView = OrderEvent;
export type OrderBookingView = OrderBookingBrief;
export type ObjectionView = Objection;
export type OrderListItem = OrderPage['items'][number];
export type ReportView = Report;
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
