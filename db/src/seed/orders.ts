/**
 * Demo data of issue 4 (orders, conversation, ratings, calibration recalls, assistance, events),
 * written in the seed's transaction. Idempotent like the rest of the seed: fixed ids and
 * `ON CONFLICT DO NOTHING`; the timeline (serial ids) is written only for orders this run inserted,
 * and the order-number sequence is only ever raised to the seeded floor.
 */
import { CUSTOMER_BILLING, LAB_BILLING, PLATFORM_BILLING } from './data/billing.ts';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import {
  assistanceRequests,
  assistanceVisits,
  calibrationRecords,
  DEFAULT_QUOTE_TERMS,
  enterpriseOfficers,
  eventSessions,
  events,
  billingSettings,
  customerBillingTerms,
  labOrderSettings,
  labSignatories,
  orderEvents,
  orderLines,
  orderMessages,
  orderRatings,
  orderSamples,
  sampleCustodyEntries,
  orders,
  type OrderStatus,
} from '../schema/index.ts';
import { DEMO_SERVICES } from './constants.ts';
import { LAB_ORDER_SETTINGS, LAB_SIGNATORIES } from './data/lab-order-settings.ts';
import { ORDER_SEQUENCE_FLOOR, ORDERS } from './data/orders.ts';
import { ASSISTANCE_REQUESTS, CALIBRATION_RECORDS, DEMO_EVENTS, ENTERPRISE_OFFICERS } from './data/quality-services.ts';
import { orgId, serviceId, stableId } from './ids.ts';
import { timelineOf, userOf, type UserIds } from './order-timeline.ts';

export interface OrderFlowCounts {
  orders: number;
  events: number;
}

const qualificationId = (kind: 'cma' | 'cnas', number: string) => stableId(`qualification:${kind}:${number}`);
export const demoOrderId = (key: string) => stableId(key);
/** The seeded demo orders (sme@'s enterprise at the Suzhou institute) by number, with id and status. */
export const DEMO_ORDERS: readonly { id: string; number: string; status: OrderStatus }[] = ORDERS.map((o) => ({
  id: demoOrderId(o.key),
  number: o.number,
  status: o.status,
}));

const serviceByKey = new Map(DEMO_SERVICES.map((s) => [s.key, s]));

export async function seedOrderFlow(tx: DbOrTx, ids: UserIds): Promise<OrderFlowCounts> {
  await tx
    .insert(billingSettings)
    .values(
      LAB_BILLING.map((b) => ({
        orgId: orgId(`lab:${b.lab}`),
        terms: b.terms,
        dueDays: b.dueDays,
        accountName: b.accountName,
        bankName: b.bankName,
        accountNumber: b.accountNumber,
        updatedAt: new Date('2026-03-01T01:00:00Z'),
      })),
    )
    .onConflictDoNothing();
  await tx
    .insert(billingSettings)
    .values(
      PLATFORM_BILLING.map((b) => ({
        orgId: orgId(b.platform),
        // Its own events keep the default terms; fee invoices are monthly by nature (platform-fees).
        terms: 'on_delivery' as const,
        dueDays: b.dueDays,
        accountName: b.accountName,
        bankName: b.bankName,
        accountNumber: b.accountNumber,
        updatedAt: new Date('2026-03-01T01:00:00Z'),
      })),
    )
    .onConflictDoNothing();
  await tx
    .insert(customerBillingTerms)
    .values(
      CUSTOMER_BILLING.map((c) => ({
        orgId: orgId(`lab:${c.lab}`),
        customerOrgId: orgId(c.customer),
        terms: c.terms,
        dueDays: c.dueDays,
        updatedAt: new Date('2026-03-01T01:00:00Z'),
      })),
    )
    .onConflictDoNothing();
  await tx
    .insert(labOrderSettings)
    .values(
      LAB_ORDER_SETTINGS.map((s) => ({
        labId: orgId(`lab:${s.lab}`),
        reportPrefix: s.reportPrefix,
        autoQuoteFixedPrice: s.autoQuoteFixedPrice ?? true,
        updatedAt: new Date('2026-03-01T01:00:00Z'),
      })),
    )
    .onConflictDoNothing();
  await tx
    .insert(labSignatories)
    .values(
      LAB_SIGNATORIES.map((s) => ({
        labId: orgId(`lab:${s.lab}`),
        userId: userOf(ids, s.email),
        scopeZh: s.scopeZh,
        createdAt: s.since,
      })),
    )
    .onConflictDoNothing();
  await tx
    .insert(enterpriseOfficers)
    .values(
      ENTERPRISE_OFFICERS.map((e) => ({
        enterpriseId: orgId(e.enterprise),
        platformOrgId: orgId(e.platform),
        officerUserId: userOf(ids, e.email),
        assignedAt: e.since,
      })),
    )
    .onConflictDoNothing();

  let orderRows = 0;
  let eventRows = 0;
  for (const o of ORDERS) {
    const id = demoOrderId(o.key);
    const lines = o.lines.map((l, i) => {
      const service = serviceByKey.get(l.service);
      if (!service) throw new Error(`seed: order ${o.number} names unknown service ${l.service}`);
      const priced = o.quote ? l.unitPriceFen : null;
      const scoped = !!o.quote;
      return {
        id: stableId(`${o.key}:line:${i + 1}`),
        orderId: id,
        position: i + 1,
        serviceId: serviceId(l.service),
        kind: service.kind,
        descriptionZh: service.nameZh,
        descriptionEn: service.nameEn,
        parameterZh: l.parameterZh,
        standardCode: l.standardCode,
        quantity: l.quantity,
        unit: l.unit,
        sampleCount: l.sampleCount ?? (l.unit === 'sample' ? l.quantity : null),
        unitPriceFen: priced,
        amountFen: priced === null ? null : priced * l.quantity,
        details: l.details ?? {},
        cmaQualificationId: scoped && l.cma ? qualificationId('cma', l.cma) : null,
        cnasQualificationId: scoped && l.cnas ? qualificationId('cnas', l.cnas) : null,
        inCmaScope: scoped && !!l.cma,
        inCnasScope: scoped && !!l.cnas,
        scopeCheckedOn: o.quote ? o.quote.at.toISOString().slice(0, 10) : null,
        addedBy: 'customer',
        createdAt: o.requestedAt,
      };
    });
    const subtotal = lines.reduce((sum, l) => sum + (l.amountFen ?? 0), 0);
    const last = [o.closedAt, o.report?.issuedAt, o.workStartedAt, o.accepted?.at, o.quote?.at, o.requestedAt].find(
      (d): d is Date => !!d,
    )!;
    const inserted = await tx
      .insert(orders)
      .values({
        id,
        number: o.number,
        customerOrgId: orgId(o.customer),
        labId: orgId(`lab:${o.lab}`),
        requestedBy: userOf(ids, o.requestedBy),
        status: o.status,
        titleZh: o.titleZh,
        requestNotes: o.requestNotes,
        quotedAt: o.quote?.at ?? null,
        quotedBy: o.quote?.by ? userOf(ids, o.quote.by) : null,
        quoteValidUntil: o.quote?.validUntil ?? null,
        quoteNotes: o.quote?.notes ?? '',
        // The demo labs keep the default terms (their settings rows leave them at the defaults).
        quoteTerms: o.quote ? { ...DEFAULT_QUOTE_TERMS } : null,
        subtotalFen: o.quote ? subtotal : 0,
        totalFen: o.quote ? subtotal : 0,
        acceptedAt: o.accepted?.at ?? null,
        acceptedBy: o.accepted ? userOf(ids, o.accepted.by) : null,
        commission: o.accepted?.commission ?? null,
        deadlineTierDays: o.accepted?.deadlineTierDays ?? null,
        clockStartedAt: o.clockStartedAt ?? null,
        dueAt: o.dueAt ?? null,
        needsSamples: true,
        workStartedAt: o.workStartedAt ?? null,
        reportIssuedAt: o.report?.issuedAt ?? null,
        onTime: o.report ? !o.dueAt || o.report.issuedAt <= o.dueAt : null,
        objectionUntil: o.objectionUntil ?? null,
        closedAt: o.closedAt ?? null,
        createdAt: o.requestedAt,
        updatedAt: last,
      })
      .onConflictDoNothing()
      .returning({ id: orders.id });
    if (inserted.length === 0) {
      // Seeded before (same id), or the number is taken by a real order: then leave it alone.
      const [mine] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, id)).limit(1);
      if (!mine) continue;
    }
    await tx.insert(orderLines).values(lines).onConflictDoNothing();
    if (o.samples && o.samples.length > 0) {
      await tx
        .insert(orderSamples)
        .values(
          o.samples.map((s, i) => ({
            id: stableId(`${o.key}:sample:${i + 1}`),
            orderId: id,
            code: `${o.number}-S${i + 1}`,
            nameZh: s.nameZh,
            quantity: s.quantity,
            unit: s.unit,
            status: s.receivedAt ? ('received' as const) : ('expected' as const),
            conditionOnArrival: s.conditionOnArrival ?? null,
            receivedAt: s.receivedAt ?? null,
            receivedBy: s.receivedAt && o.receivedBy ? userOf(ids, o.receivedBy) : null,
            storageLocation: s.storageLocation ?? '',
            createdAt: o.accepted?.at ?? o.requestedAt,
          })),
        )
        .onConflictDoNothing();
      // The custody log of a freshly seeded order: each sample in hand was received (and shelved).
      const held = o.samples.flatMap((s, i) => (s.receivedAt ? [{ s, i }] : []));
      if (inserted.length > 0 && held.length > 0) {
        await tx.insert(sampleCustodyEntries).values(
          held.map(({ s, i }) => ({
            sampleId: stableId(`${o.key}:sample:${i + 1}`),
            orderId: id,
            step: 'received' as const,
            at: s.receivedAt!,
            actorUserId: o.receivedBy ? userOf(ids, o.receivedBy) : null,
            location: s.storageLocation || null,
          })),
        );
      }
    }
    if (o.messages && o.messages.length > 0) {
      await tx
        .insert(orderMessages)
        .values(
          o.messages.map((m) => ({
            id: stableId(`${o.key}:message:${m.at.toISOString()}`),
            orderId: id,
            authorUserId: userOf(ids, m.email),
            authorSide: m.side,
            body: m.body,
            createdAt: m.at,
          })),
        )
        .onConflictDoNothing();
    }
    if (o.rating) {
      await tx
        .insert(orderRatings)
        .values({
          orderId: id,
          labId: orgId(`lab:${o.lab}`),
          score: o.rating.score,
          comment: o.rating.comment,
          ratedBy: userOf(ids, o.requestedBy),
          ratedAt: o.rating.at,
          reply: o.rating.reply?.text ?? null,
          repliedBy: o.rating.reply ? userOf(ids, o.rating.reply.email) : null,
          repliedAt: o.rating.reply?.at ?? null,
        })
        .onConflictDoNothing();
    }
    if (inserted.length > 0) {
      orderRows += 1;
      const timeline = timelineOf(o, ids, lines.length, subtotal);
      await tx.insert(orderEvents).values(timeline.map((e) => ({ orderId: id, ...e })));
      eventRows += timeline.length;
    }
  }
  // New orders must not take a seeded number: raise the year's sequence to the seeded floor.
  await tx.execute(sql`
    INSERT INTO order_sequences (year, last_value) VALUES (${ORDER_SEQUENCE_FLOOR.year}, ${ORDER_SEQUENCE_FLOOR.lastValue})
    ON CONFLICT (year) DO UPDATE SET last_value = GREATEST(order_sequences.last_value, EXCLUDED.last_value)
    WHERE order_sequences.last_value < EXCLUDED.last_value`);
  // Likewise for report numbers the seeded timelines name (e.g. SZQI-2026-000412): a lab's next
  // report continues after them, so the demo never shows a later report with a smaller number.
  const reportFloors = new Map<string, { labId: string; year: number; lastValue: number }>();
  for (const o of ORDERS) {
    const m = o.report ? /-(\d{4})-(\d{6})$/.exec(o.report.number) : null;
    if (!m) continue;
    const labId = orgId(`lab:${o.lab}`);
    const key = `${labId}:${m[1]}`;
    const lastValue = Math.max(reportFloors.get(key)?.lastValue ?? 0, Number(m[2]));
    reportFloors.set(key, { labId, year: Number(m[1]), lastValue });
  }
  for (const f of reportFloors.values()) {
    await tx.execute(sql`
      INSERT INTO report_sequences (lab_id, year, last_value) VALUES (${f.labId}::uuid, ${f.year}, ${f.lastValue})
      ON CONFLICT (lab_id, year) DO UPDATE SET last_value = GREATEST(report_sequences.last_value, EXCLUDED.last_value)
      WHERE report_sequences.last_value < EXCLUDED.last_value`);
  }

  await tx
    .insert(calibrationRecords)
    .values(
      CALIBRATION_RECORDS.map((c) => ({
        id: stableId(c.key),
        customerOrgId: orgId(c.customer),
        labId: orgId(`lab:${c.lab}`),
        instrumentName: c.instrumentName,
        model: c.model,
        serialNumber: c.serialNumber,
        measuringRange: c.measuringRange,
        accuracyClass: c.accuracyClass,
        method: c.method,
        calibratedOn: c.calibratedOn,
        nextDueOn: c.nextDueOn,
        createdAt: new Date(`${c.calibratedOn}T08:00:00+08:00`),
      })),
    )
    .onConflictDoNothing();

  for (const a of ASSISTANCE_REQUESTS) {
    const id = stableId(a.key);
    await tx
      .insert(assistanceRequests)
      .values({
        id,
        enterpriseId: orgId(a.enterprise),
        requestedBy: userOf(ids, a.requestedBy),
        titleZh: a.titleZh,
        problemZh: a.problemZh,
        trigger: a.trigger,
        productZh: a.productZh,
        status: a.status,
        officerUserId: userOf(ids, a.officer),
        expertUserId: userOf(ids, a.expert),
        assignedAt: a.assignedAt,
        createdAt: a.createdAt,
        updatedAt: a.visits.at(-1)?.createdAt ?? a.assignedAt,
      })
      .onConflictDoNothing();
    if (a.visits.length > 0) {
      await tx
        .insert(assistanceVisits)
        .values(
          a.visits.map((v) => ({
            id: stableId(v.key),
            requestId: id,
            visitedOn: v.visitedOn,
            recordedBy: userOf(ids, v.recordedBy),
            notesZh: v.notesZh,
            problemsFound: v.problemsFound,
            problemsSolved: v.problemsSolved,
            createdAt: v.createdAt,
          })),
        )
        .onConflictDoNothing();
    }
  }

  for (const e of DEMO_EVENTS) {
    const id = stableId(e.key);
    await tx
      .insert(events)
      .values({
        id,
        organiserOrgId: orgId(e.organiser),
        serviceId: serviceId(e.service),
        kind: e.kind,
        titleZh: e.titleZh,
        titleEn: e.titleEn,
        descriptionZh: e.descriptionZh,
        descriptionEn: e.descriptionEn,
        venueZh: e.venueZh,
        regionCode: e.regionCode,
        feeFen: e.feeFen,
        status: 'published',
        createdAt: e.createdAt,
        updatedAt: e.createdAt,
      })
      .onConflictDoNothing();
    await tx
      .insert(eventSessions)
      .values(
        e.sessions.map((s) => ({
          id: stableId(`${e.key}:session:${s.key}`),
          eventId: id,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          seats: s.seats,
          createdAt: e.createdAt,
        })),
      )
      .onConflictDoNothing();
  }
  return { orders: orderRows, events: eventRows };
}
