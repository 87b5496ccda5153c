import type { OrderStatus, OrderSample, Objection } from './types';
import { ORDER_STATUSES } from './types';

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

/** The message key of a status in the user's language (`orders.status.<status>`). */
export function statusKey(status: string): string {
  return isOrderStatus(status) ? `orders.status.${status}` : 'orders.status.unknown';
}

/** Badge colour per status (classes from app.css). */
export function orderStatusTone(status: string): string {
  switch (status) {
    case 'requested':
    case 'quoted':
      return 'badge-warn';
    case 'accepted':
    case 'awaiting_samples':
    case 'samples_received':
    case 'in_progress':
    case 'report_review':
      return 'badge-cma';
    case 'report_issued':
    case 'closed':
      return 'badge-cnas';
    case 'cancelled':
    case 'expired':
      return 'badge-muted';
    default:
      return 'badge-muted';
  }
}

/** The steps of the main road that only orders with samples pass (and their report review). */
const SAMPLE_STEPS: readonly OrderStatus[] = ['awaiting_samples', 'samples_received', 'report_review'];

/** The main road an order travels, for the progress strip (orders without samples skip two steps). */
export function progressSteps(needsSamples: boolean): OrderStatus[] {
  const road = ORDER_STATUSES.slice(0, ORDER_STATUSES.indexOf('closed') + 1);
  return needsSamples ? road : road.filter((s) => !SAMPLE_STEPS.includes(s));
}

/** Statuses in which the customer may cancel without a fee (api orders/flow.ts CUSTOMER_FREE_CANCEL). */
export const FREE_CANCEL: readonly OrderStatus[] = ['requested', 'quoted', 'accepted', 'awaiting_samples'];
/** Samples in, work not started: the customer may still cancel, for a fee. */
export const FEE_CANCEL: readonly OrderStatus[] = ['samples_received'];
/** The fee for cancelling after the samples arrived: this share of the line subtotal. */
export const LATE_CANCEL_FEE_PCT = 20;

export type CancelTerms = { allowed: false } | { allowed: true; feeFen: number; feePct: number };

/** May the customer cancel now, and what would it cost (fen)? */
export function customerCancelTerms(status: string, subtotalFen: number): CancelTerms {
  if ((FREE_CANCEL as readonly string[]).includes(status)) return { allowed: true, feeFen: 0, feePct: 0 };
  if ((FEE_CANCEL as readonly string[]).includes(status)) {
    return {
      allowed: true,
      feePct: LATE_CANCEL_FEE_PCT,
      feeFen: Math.round((subtotalFen * LATE_CANCEL_FEE_PCT) / 100),
    };
  }
  return { allowed: false };
}

export interface CustomerActionState {
  status: string;
  objectionUntil: string | null;
  objections: Pick<Objection, 'status'>[];
}

/** What the customer can do on the order page right now. */
export function customerActions(o: CustomerActionState, now: Date) {
  const openObjection = o.objections.some((x) => x.status === 'open');
  const windowOpen =
    o.status === 'report_issued' && (o.objectionUntil === null || Date.parse(o.objectionUntil) > now.getTime());
  return {
    accept: o.status === 'quoted',
    decline: o.status === 'quoted',
    cancel: customerCancelTerms(o.status, 0).allowed,
    object: windowOpen && !openObjection,
    close: o.status === 'report_issued' && !openObjection,
    openObjection,
  };
}

/** Badge colour of a sample's status. */
export function sampleTone(status: OrderSample['status']): string {
  switch (status) {
    case 'received':
      return 'badge-cnas';
    case 'rejected':
      return 'badge-danger';
    case 'expected':
      return 'badge-warn';
    default:
      return 'badge-muted';
  }
}

/** Badge colour of a report's (or verification's) status. */
export function reportTone(status: string): string {
  switch (status) {
    case 'issued':
    case 'valid':
      return 'badge-cnas';
    case 'replaced':
      return 'badge-warn';
    case 'revoked':
      return 'badge-danger';
    default:
      return 'badge-muted';
  }
}

/** On time / late / still running, once a due date is known. */
export function punctuality(
  o: { dueAt: string | null; onTime: boolean | null; status: string },
  now: Date,
): 'on_time' | 'late' | 'overdue' | 'running' | null {
  if (!o.dueAt) return null;
  if (o.onTime === true) return 'on_time';
  if (o.onTime === false) return 'late';
  if (['cancelled', 'expired', 'closed', 'report_issued'].includes(o.status)) return null;
  return Date.parse(o.dueAt) < now.getTime() ? 'overdue' : 'running';
}
