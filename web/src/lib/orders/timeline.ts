import type { OrderEvent } from './types';

/** Timeline actions with their own wording (`orders.timeline.actions.<key>`, dots as underscores). */
export const KNOWN_ACTIONS = [
  'order.requested',
  'order.quoted',
  'order.accepted',
  'order.awaiting_samples',
  'order.declined',
  'order.work_started',
  'order.delivered',
  'order.cancelled',
  'order.cancel_cleanup',
  'order.scheduled',
  'order.samples_received',
  'order.retest',
  'order.closed',
  'order.expired',
  'order.rated',
  'order.objection_window_closed',
  'samples.all_rejected',
  'sample.received',
  'sample.rejected',
  'sample.photo',
  'sample.stored',
  'sample.taken',
  'sample.back',
  'sample.returned',
  'sample.disposed',
  'commission.scan_attached',
  'commission.scan_replaced',
  'objection.raised',
  'objection.dismissed',
  'report.drafted',
  'report.submitted',
  'report.reviewed',
  'report.returned',
  'report.issued',
  'report.replaced',
  'report.revoked',
  'message.posted',
  'rating.replied',
] as const;

export interface TimelineFormat {
  money(fen: number): string;
  dateTime(iso: string): string;
  date(isoDate: string): string;
  /** An order status in words. */
  status(status: string): string;
  /** An expedite tier ("h72" …) in words. */
  tier(tier: string): string;
}

export interface TimelineLine {
  /** Message key of the sentence. */
  key: string;
  /** Its interpolation values, already formatted. */
  params: Record<string, string | number>;
  /** A note under the sentence (a reason, a condition, a comment), shown as the person wrote it. */
  note: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One order event → the sentence the timeline shows, in whatever language `t` speaks. */
export function describeEvent(e: Pick<OrderEvent, 'action' | 'toStatus' | 'data'>, fmt: TimelineFormat): TimelineLine {
  const d = e.data ?? {};
  const params: Record<string, string | number> = {};
  if (str(d.number)) params.number = str(d.number)!;
  if (str(d.code)) params.code = str(d.code)!;
  if (num(d.quantity) !== null) params.quantity = num(d.quantity)!;
  if (num(d.samples) !== null) params.count = num(d.samples)!;
  if (num(d.lines) !== null) params.count = num(d.lines)!;
  if (num(d.score) !== null) params.score = num(d.score)!;
  if (num(d.subtotalFen) !== null) params.amount = fmt.money(num(d.subtotalFen)!);
  if (str(d.validUntil)) params.validUntil = fmt.date(str(d.validUntil)!);
  if (str(d.start)) params.start = fmt.dateTime(str(d.start)!);
  if (str(d.end)) params.end = fmt.dateTime(str(d.end)!);
  if (str(d.replaces)) params.replaces = str(d.replaces)!;

  const known = (KNOWN_ACTIONS as readonly string[]).includes(e.action);
  let variant = '';
  if (e.action === 'order.accepted') {
    const expedite = str(d.expedite);
    if (expedite && expedite !== 'none') {
      variant = '_expedite';
      params.tier = fmt.tier(expedite);
      params.surcharge = fmt.money(num(d.surchargeFen) ?? 0);
    } else if (num(d.deadlineTierDays) !== null) {
      variant = '_days';
      params.days = num(d.deadlineTierDays)!;
    }
  }
  if (e.action === 'order.cancelled' && (num(d.feeFen) ?? 0) > 0) {
    variant = '_fee';
    params.fee = fmt.money(num(d.feeFen)!);
  }
  if (e.action === 'order.quoted' && d.auto === true) variant = '_auto';
  if (e.action === 'report.issued' && params.replaces) variant = '_replaces';

  const note = str(d.reason) ?? str(d.condition) ?? str(d.resolution) ?? str(d.comment) ?? null;
  if (known) return { key: `orders.timeline.actions.${e.action.replace(/\./g, '_')}${variant}`, params, note };
  if (e.toStatus) return { key: 'orders.timeline.moved', params: { ...params, status: fmt.status(e.toStatus) }, note };
  return { key: 'orders.timeline.other', params: { ...params, action: e.action }, note };
}

/** Events that only matter to the lab's own bookkeeping are left off the customer's timeline. */
export function customerVisible(e: Pick<OrderEvent, 'action'>): boolean {
  return !e.action.startsWith('lab.') && e.action !== 'booking.scheduled_for_order';
}
