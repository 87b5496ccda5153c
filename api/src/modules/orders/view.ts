import type { DbOrTx, Order, OrderLine, OrderSample } from '@qihub/db';
import { money, moneyOrNull } from '../../lib/money.ts';
import { orderPayment } from '../invoices/index.ts';
import type { OrderAccess } from './access.ts';
import { bookingsOfOrder, reportsOfOrder } from './repository/bookings-and-reports.ts';
import { linesOfOrder } from './repository/lines.ts';
import { objectionsOfOrder } from './repository/objections.ts';
import { orgNames } from './repository/parties.ts';
import { samplesOfOrder } from './repository/samples.ts';
import { eventsOfOrder } from './repository/timeline.ts';
import { termsOfOrder } from './settings.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toOrderView(o: Order, names: { customerNameZh: string; labNameZh: string }) {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    customerOrgId: o.customerOrgId,
    customerNameZh: names.customerNameZh,
    labId: o.labId,
    labNameZh: names.labNameZh,
    requestedBy: o.requestedBy,
    titleZh: o.titleZh,
    requestNotes: o.requestNotes,
    needsSamples: o.needsSamples,
    quotedAt: iso(o.quotedAt),
    quoteValidUntil: o.quoteValidUntil,
    quoteNotes: o.quoteNotes,
    subtotal: money(o.subtotalFen, o.currency),
    surcharge: money(o.surchargeFen, o.currency),
    surchargeWaived: o.surchargeWaived,
    total: money(o.totalFen, o.currency),
    acceptedAt: iso(o.acceptedAt),
    commission: (o.commission as Record<string, unknown> | null) ?? null,
    deadlineTierDays: o.deadlineTierDays,
    expedite: o.expedite,
    expeditePct: o.expeditePct,
    clockStartedAt: iso(o.clockStartedAt),
    dueAt: iso(o.dueAt),
    workStartedAt: iso(o.workStartedAt),
    reportIssuedAt: iso(o.reportIssuedAt),
    onTime: o.onTime,
    objectionUntil: iso(o.objectionUntil),
    retestCount: o.retestCount,
    closedAt: iso(o.closedAt),
    cancelledAt: iso(o.cancelledAt),
    cancelReason: o.cancelReason,
    cancellationFee: moneyOrNull(o.cancellationFeeFen, o.currency),
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}
export type OrderView = ReturnType<typeof toOrderView>;

export function toLineView(l: OrderLine, currency = 'CNY') {
  return {
    id: l.id,
    position: l.position,
    serviceId: l.serviceId,
    kind: l.kind,
    descriptionZh: l.descriptionZh,
    descriptionEn: l.descriptionEn,
    parameterZh: l.parameterZh,
    standardCode: l.standardCode,
    quantity: l.quantity,
    unit: l.unit,
    sampleCount: l.sampleCount,
    unitPrice: moneyOrNull(l.unitPriceFen, currency),
    amount: moneyOrNull(l.amountFen, currency),
    details: l.details,
    scopeItemId: l.scopeItemId,
    inCmaScope: l.inCmaScope,
    inCnasScope: l.inCnasScope,
    cmaQualificationId: l.cmaQualificationId,
    cnasQualificationId: l.cnasQualificationId,
    scopeCheckedOn: l.scopeCheckedOn,
    addedBy: l.addedBy,
    removed: l.removedAt !== null,
    removedAt: iso(l.removedAt),
  };
}

export function toSampleView(s: OrderSample) {
  return {
    id: s.id,
    code: s.code,
    nameZh: s.nameZh,
    quantity: s.quantity,
    unit: s.unit,
    status: s.status,
    conditionOnArrival: s.conditionOnArrival,
    hasPhoto: s.photoPath !== null,
    receivedAt: iso(s.receivedAt),
    rejectedReason: s.rejectedReason,
    storageLocation: s.storageLocation,
    dispositionAt: iso(s.dispositionAt),
  };
}

export async function orderViews(db: DbOrTx, list: Order[]): Promise<OrderView[]> {
  const names = await orgNames(
    db,
    list.flatMap((o) => [o.customerOrgId, o.labId]),
  );
  return list.map((o) =>
    toOrderView(o, { customerNameZh: names.get(o.customerOrgId) ?? '', labNameZh: names.get(o.labId) ?? '' }),
  );
}

/** The whole order as its parties see it: lines (withdrawn ones flagged), samples, timeline, bookings, reports. */
export async function orderDetail(db: DbOrTx, access: OrderAccess) {
  const { order } = access;
  const [view] = await orderViews(db, [order]);
  // One after another: a transaction is one connection, which runs one query at a time.
  const lines = await linesOfOrder(db, order.id);
  const samples = await samplesOfOrder(db, order.id);
  const timeline = await eventsOfOrder(db, order.id);
  const linked = await bookingsOfOrder(db, order.id);
  const reportRows = await reportsOfOrder(db, order.id);
  const objections = await objectionsOfOrder(db, order.id);
  // The terms the customer is bound by when accepting: those copied onto the quote (the lab's
  // current ones while the order waits for its quote).
  const terms = await termsOfOrder(db, order);
  const pay = await orderPayment(db, order.id);
  return {
    order: view!,
    viewerSide: access.side,
    labTerms: { ...terms },
    // Prepay: an accepted order waits for its invoice to be paid before the work goes on.
    awaitingPayment: order.status === 'accepted' && pay?.terms === 'prepay' && pay.amountDueFen > 0,
    payment: pay
      ? {
          invoiceId: pay.invoiceId,
          terms: pay.terms,
          status: pay.status,
          amountDue: money(pay.amountDueFen, pay.currency),
        }
      : null,
    lines: lines.map((l) => toLineView(l, order.currency)),
    samples: samples.map(toSampleView),
    timeline: timeline
      .filter((e) => access.side === 'lab' || !isInternalEvent(e.action))
      .map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actorUserId: e.actorUserId,
        actorSide: e.actorSide,
        action: e.action,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        data: access.side === 'lab' ? e.data : outsideData(e.action, e.data),
      })),
    bookings: linked.map((b) => ({
      id: b.id,
      instrumentId: b.instrumentId,
      instrumentNameZh: b.instrumentNameZh,
      status: b.status,
      start: b.startsAt.toISOString(),
      end: b.endsAt.toISOString(),
    })),
    // Drafts are the lab's working papers: the customer sees reports once issued.
    reports: reportRows
      .filter((r) => access.side === 'lab' || (r.status !== 'draft' && r.status !== 'reviewed'))
      .map((r) => ({ id: r.id, number: r.number, status: r.status, kind: r.kind, lineIds: r.lineIds })),
    objections: objections.map((o) => ({
      id: o.id,
      reportId: o.reportId,
      raisedBy: o.raisedBy,
      reason: o.reason,
      status: o.status,
      resolution: o.resolution,
      resolvedAt: iso(o.resolvedAt),
      createdAt: o.createdAt.toISOString(),
    })),
  };
}

/** Report events the customer (and officers, the platform) see: the rest is the lab's internal review. */
const PUBLIC_REPORT_EVENTS = new Set(['report.issued', 'report.replaced', 'report.revoked']);

/** The lab's working steps on a report (drafted, submitted, reviewed, returned, …) are not shown outside the lab. */
export function isInternalEvent(action: string): boolean {
  return action.startsWith('report.') && !PUBLIC_REPORT_EVENTS.has(action);
}

/**
 * Data of a timeline event as seen outside the lab: a report event keeps no reviewer's comment (the
 * revocation reason stays: the customer is told it anyway).
 */
export function outsideData(action: string, data: Record<string, unknown>): Record<string, unknown> {
  if (!action.startsWith('report.')) return data;
  const { comment: _comment, ...rest } = data;
  if (action !== 'report.revoked' && 'reason' in rest) delete rest.reason;
  return rest;
}
