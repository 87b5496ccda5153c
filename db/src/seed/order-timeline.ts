import type { OrderStatus } from '../schema/index.ts';
import type { OrderSeed } from './data/types.ts';
import { stableId } from './ids.ts';

export type UserIds = ReadonlyMap<string, string>;

export function userOf(ids: UserIds, email: string): string {
  const id = ids.get(email);
  if (!id) throw new Error(`seed: no demo user ${email}`);
  return id;
}

interface TimelineRow {
  at: Date;
  actorUserId: string | null;
  actorSide: 'customer' | 'lab' | 'system';
  action: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus | null;
  data: Record<string, unknown>;
}

/** The timeline the application would have written for an order that went this far. */
export function timelineOf(o: OrderSeed, ids: UserIds, lineCount: number, subtotalFen: number): TimelineRow[] {
  const rows: TimelineRow[] = [];
  const push = (r: Omit<TimelineRow, 'data'> & { data?: Record<string, unknown> }) =>
    rows.push({ ...r, data: r.data ?? {} });
  const sme = userOf(ids, o.requestedBy);
  push({
    at: o.requestedAt,
    actorUserId: sme,
    actorSide: 'customer',
    action: 'order.requested',
    fromStatus: null,
    toStatus: 'requested',
    data: { number: o.number, lines: lineCount },
  });
  if (o.quote) {
    push({
      at: o.quote.at,
      actorUserId: o.quote.by ? userOf(ids, o.quote.by) : null,
      actorSide: o.quote.by ? 'lab' : 'system',
      action: 'order.quoted',
      fromStatus: 'requested',
      toStatus: 'quoted',
      data: { subtotalFen, validUntil: o.quote.validUntil, auto: o.quote.by === null, lines: lineCount },
    });
  }
  if (o.accepted) {
    const by = userOf(ids, o.accepted.by);
    push({
      at: o.accepted.at,
      actorUserId: by,
      actorSide: 'customer',
      action: 'order.accepted',
      fromStatus: 'quoted',
      toStatus: 'accepted',
      data: { deadlineTierDays: o.accepted.deadlineTierDays, expedite: 'none', surchargeFen: 0 },
    });
    push({
      at: o.accepted.at,
      actorUserId: by,
      actorSide: 'customer',
      action: 'order.awaiting_samples',
      fromStatus: 'accepted',
      toStatus: 'awaiting_samples',
      data: { samples: o.samples?.length ?? 0 },
    });
  }
  const receiver = o.receivedBy ? userOf(ids, o.receivedBy) : null;
  (o.samples ?? []).forEach((s, i) => {
    if (!s.receivedAt) return;
    push({
      at: s.receivedAt,
      actorUserId: receiver,
      actorSide: 'lab',
      action: 'sample.received',
      fromStatus: null,
      toStatus: null,
      data: {
        sampleId: stableId(`${o.key}:sample:${i + 1}`),
        code: `${o.number}-S${i + 1}`,
        quantity: s.quantity,
        condition: s.conditionOnArrival ?? '',
      },
    });
  });
  if (o.clockStartedAt) {
    push({
      at: o.clockStartedAt,
      actorUserId: receiver,
      actorSide: 'lab',
      action: 'order.samples_received',
      fromStatus: 'awaiting_samples',
      toStatus: 'samples_received',
      data: { clockStarted: true },
    });
  }
  if (o.workStartedAt) {
    push({
      at: o.workStartedAt,
      actorUserId: receiver,
      actorSide: 'lab',
      action: 'order.work_started',
      fromStatus: 'samples_received',
      toStatus: 'in_progress',
    });
  }
  for (const m of o.messages ?? []) {
    push({
      at: m.at,
      actorUserId: userOf(ids, m.email),
      actorSide: m.side,
      action: 'message.posted',
      fromStatus: null,
      toStatus: null,
      data: { messageId: stableId(`${o.key}:message:${m.at.toISOString()}`) },
    });
  }
  if (o.report) {
    // The report rows themselves are not seeded (no PDFs in the seed): the timeline names the number.
    const r = o.report;
    push({
      at: r.submittedAt,
      actorUserId: receiver,
      actorSide: 'lab',
      action: 'report.submitted',
      fromStatus: 'in_progress',
      toStatus: 'report_review',
    });
    push({
      at: r.reviewedAt,
      actorUserId: userOf(ids, r.reviewer),
      actorSide: 'lab',
      action: 'report.reviewed',
      fromStatus: null,
      toStatus: null,
      data: { comment: '' },
    });
    push({
      at: r.issuedAt,
      actorUserId: userOf(ids, r.signatory),
      actorSide: 'lab',
      action: 'report.issued',
      fromStatus: 'report_review',
      toStatus: 'report_issued',
      // The keys the application writes (reports/service.ts), so the timeline names the report.
      data: { number: r.number, onTime: !o.dueAt || r.issuedAt <= o.dueAt },
    });
  }
  if (o.closedAt) {
    push({
      at: o.closedAt,
      actorUserId: null,
      actorSide: 'system',
      action: 'order.closed',
      fromStatus: 'report_issued',
      toStatus: 'closed',
      data: { objectionWindowEnded: true },
    });
  }
  if (o.rating) {
    push({
      at: o.rating.at,
      actorUserId: sme,
      actorSide: 'customer',
      action: 'order.rated',
      fromStatus: null,
      toStatus: null,
      data: { score: o.rating.score },
    });
    if (o.rating.reply) {
      push({
        at: o.rating.reply.at,
        actorUserId: userOf(ids, o.rating.reply.email),
        actorSide: 'lab',
        action: 'rating.replied',
        fromStatus: null,
        toStatus: null,
      });
    }
  }
  return rows.sort((a, b) => a.at.getTime() - b.at.getTime());
}
