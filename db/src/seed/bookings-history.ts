/**
 * Past instrument time of the Jiangsu demo labs (issue 12): 2026-03-02 … 2026-11-13, so the platform
 * console's utilisation, efficiency and statistics pages have machine hours to count. Written as the
 * API would have written it — each booking held, approved, checked in and out (or cancelled in good
 * time, or void as a no-show), its check-out charge a 'use' invoice line with its invoice, ledger
 * journals and bank-transfer payment (monthly accounts: accrued, invoiced on the 1st of the next
 * month, paid), no-show fees and strikes likewise. Deterministic (a seeded PRNG, fixed ids, no clock);
 * idempotent: when the first booking exists the whole history is already there and nothing is written.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import {
  bookingViolations,
  bookings,
  invoiceCounters,
  invoiceLines,
  invoices,
  ledgerAccounts,
  ledgerEntries,
  ledgerTransactions,
  payments,
  users,
} from '../schema/index.ts';
import { DEMO_INSTRUMENTS } from './constants.ts';
import { CUSTOMER_BILLING, LAB_BILLING } from './data/billing.ts';
import type { LabKey } from './data/types.ts';
import { instrumentId, orgId, stableId } from './ids.ts';

import {
  MINUTE,
  TAX_BP,
  FIRST_DAY,
  LAST_DAY,
  MONTHLY_LAST_DAY,
  OPEN_MIN,
  CLOSE_MIN,
  POLICY,
  IDLE,
  CUSTOMERS,
  STAFF,
  ENTERPRISE,
  OPERATOR,
  prng,
  china,
  chinaDay,
  chinaTime,
  addDays,
  isWorkingDay,
  workingDaysFrom,
  reference,
  vat,
  priceForMinutes,
  billable,
  type LineRow,
  type InvoiceRow,
  type PaymentRow,
  type Journal,
  type Planned,
} from './bookings-history-rules.ts';
import type { BookingHistoryCounts } from './bookings-history-rules.ts';
export type { BookingHistoryCounts } from './bookings-history-rules.ts';

export async function seedBookingHistory(tx: DbOrTx): Promise<BookingHistoryCounts | null> {
  const first = stableId('booking-history:1');
  const [already] = await tx.select({ id: bookings.id }).from(bookings).where(eq(bookings.id, first)).limit(1);
  if (already) return null;

  const emails = [
    ...Object.values(ENTERPRISE).map((e) => e.email),
    ...Object.values(STAFF).flat(),
    ...Object.values(OPERATOR).filter((e): e is string => !!e),
  ];
  const people = await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, emails));
  const userOf = new Map(people.map((p) => [p.email, p.id]));

  const termsOf = (labId: string, customer: string) => {
    const lab = LAB_BILLING.find((l) => orgId(`lab:${l.lab}`) === labId)!;
    const special = CUSTOMER_BILLING.find((c) => orgId(`lab:${c.lab}`) === labId && orgId(c.customer) === customer);
    return { terms: special?.terms ?? lab.terms, dueDays: special?.dueDays ?? lab.dueDays, lab };
  };
  const rnd = prng(20260301);
  const labs: LabKey[] = ['sqi', 'njut', 'wxmat'];
  const fleet = DEMO_INSTRUMENTS.filter(
    (i) =>
      labs.includes(i.lab) &&
      (i.status ?? 'active') === 'active' &&
      i.rates.ih != null &&
      i.rates.eh != null &&
      !IDLE.has(i.key),
  );
  // Working days of the period.
  const days: string[] = [];
  for (let d = FIRST_DAY; d <= LAST_DAY; d = addDays(d, 1)) if (isWorkingDay(d)) days.push(d);

  const planned: Planned[] = [];
  const operatorBusy: { start: number; end: number }[] = [];
  let n = 0;
  for (const inst of fleet) {
    // Popular instruments are booked more often; chambers run long.
    const chamber = inst.category === 'salt_spray' || inst.category === 'climate_chamber';
    const popularity = 0.03 + rnd.next() * 0.07;
    for (let unit = 1; unit <= (inst.units ?? 1); unit++) {
      for (const day of days) {
        if (rnd.next() >= popularity) continue;
        // One or two bookings that day, in order, with a gap between them.
        let cursor = OPEN_MIN + 30 * rnd.int(0, 4);
        const count = chamber ? 1 : rnd.int(1, 2);
        for (let k = 0; k < count; k++) {
          const minutes = 30 * (chamber ? rnd.int(8, 16) : rnd.int(2, 8));
          if (cursor + minutes > CLOSE_MIN) break;
          const lab = inst.lab;
          const c = rnd.weighted(CUSTOMERS[lab]!);
          const internal = c.who === 'internal';
          const staff = STAFF[lab]!;
          if (internal && staff.length === 0) continue;
          // Monthly-account customers last booked in October: their use is all invoiced (1 November).
          const customerOrg = internal ? orgId(`lab:${lab}`) : orgId(ENTERPRISE[c.who as 'sme' | 'sme2'].org);
          if (!internal && day > MONTHLY_LAST_DAY && termsOf(orgId(`lab:${lab}`), customerOrg).terms === 'monthly')
            continue;
          const email = internal ? rnd.pick(staff) : ENTERPRISE[c.who as 'sme' | 'sme2'].email;
          const userId = userOf.get(email);
          if (!userId) continue;
          const start = china(day, cursor);
          const end = new Date(start.getTime() + minutes * MINUTE);
          cursor += minutes + 30 * rnd.int(1, 4);
          const rate = internal ? inst.rates.ih! : inst.rates.eh!;
          const price = priceForMinutes(rate, minutes);
          // Assisted when the lab has an operator and they are free then (never double-booked).
          let operatorId: string | null = null;
          const opEmail = OPERATOR[lab];
          if (!internal && opEmail && rnd.next() < 0.3) {
            const s = start.getTime();
            const e = end.getTime();
            if (!operatorBusy.some((b) => b.start < e && s < b.end)) {
              operatorId = userOf.get(opEmail) ?? null;
              if (operatorId) operatorBusy.push({ start: s, end: e });
            }
          }
          n++;
          const key = `booking-history:${n}`;
          const created = china(workingDaysFrom(day, -rnd.int(2, 12)), OPEN_MIN + 30 * rnd.int(0, 16));
          planned.push({
            key,
            name: { zh: inst.nameZh, en: inst.nameEn || inst.nameZh },
            row: {
              id: stableId(key),
              instrumentId: instrumentId(inst.key),
              unitId: stableId(`instrument-unit:${inst.key}:${unit}`),
              labId: orgId(`lab:${lab}`),
              customerOrgId: internal ? orgId(`lab:${lab}`) : orgId(ENTERPRISE[c.who as 'sme' | 'sme2'].org),
              userId,
              mode: operatorId ? 'assisted' : 'self',
              status: 'completed',
              startsAt: start,
              endsAt: end,
              occupied: `[${start.toISOString()},${end.toISOString()})`,
              rateTier: internal ? 'internal' : 'external',
              priceAmount: price,
              currency: 'CNY',
              policy: POLICY,
              notes: '',
              hourlyRate: rate,
              operatorId,
              createdAt: created,
              updatedAt: created,
            },
          });
        }
      }
    }
  }

  // Outcomes: a few cancelled in good time, a couple of no-shows, the rest used.
  const lines: LineRow[] = [];
  const violations: (typeof bookingViolations.$inferInsert)[] = [];
  const counts = { completed: 0, cancelled: 0, noShows: 0 };
  // A couple of no-shows, at the Wuxi centre (its customers' strikes; the other labs' lists stay clean).
  const atWuxi = planned.flatMap((p, i) =>
    p.row.labId === orgId('lab:wxmat') && p.row.customerOrgId !== p.row.labId ? [i] : [],
  );
  const noShowAt = new Set([atWuxi[7], atWuxi[41]].filter((i): i is number => i !== undefined));
  planned.forEach((p, i) => {
    const b = p.row;
    const start = b.startsAt as Date;
    const end = b.endsAt as Date;
    const external = b.customerOrgId !== b.labId;
    const label = `${chinaDay(start)} ${chinaTime(start)}–${chinaTime(end)}`;
    if (noShowAt.has(i)) {
      // Nobody checked in: void at start + late-void, the last-minute fee and a strike.
      const at = new Date(start.getTime() + POLICY.lateVoidMinutes * MINUTE);
      b.status = 'no_show';
      b.updatedAt = at;
      counts.noShows++;
      violations.push({
        id: stableId(`${p.key}:violation`),
        labId: b.labId!,
        userId: b.userId!,
        bookingId: b.id!,
        kind: 'no_show',
        occurredAt: at,
        createdAt: at,
      });
      const fee = Math.floor((b.priceAmount! * POLICY.cancellationFeeBasisPoints + 5_000) / 10_000);
      if (external && fee > 0) {
        lines.push({
          id: stableId(`${p.key}:line:no_show`),
          labId: b.labId!,
          customerOrgId: b.customerOrgId!,
          sourceKind: 'booking',
          sourceId: b.id!,
          charge: 'no_show',
          descriptionZh: `爽约费：${p.name.zh} ${label}`,
          descriptionEn: `No-show fee: ${p.name.en} ${label}`,
          amountFen: fee,
          taxRateBp: TAX_BP,
          occurredAt: at,
          createdAt: at,
        });
      }
      return;
    }
    if (rnd.next() < 0.05) {
      // Cancelled by the customer before the free cut-off: no fee.
      const at = new Date(start.getTime() - (POLICY.cancellationCutoffMinutes + 60 * rnd.int(2, 72)) * MINUTE);
      const when = at > (b.createdAt as Date) ? at : new Date((b.createdAt as Date).getTime() + 3_600_000);
      b.status = 'cancelled';
      b.cancelledAt = when;
      b.cancelledBy = b.userId!;
      b.cancellationFee = 0;
      b.operatorId = b.operatorId ?? null;
      b.updatedAt = when;
      counts.cancelled++;
      return;
    }
    const actualStart = new Date(start.getTime() + (rnd.next() < 0.06 ? rnd.int(16, 45) : rnd.int(-10, 12)) * MINUTE);
    const actualEnd = new Date(end.getTime() + rnd.int(-40, 25) * MINUTE);
    const booked = (end.getTime() - start.getTime()) / MINUTE;
    const actual = Math.ceil((actualEnd.getTime() - actualStart.getTime()) / MINUTE);
    const minutes = billable(booked, actual);
    const amount = priceForMinutes(b.hourlyRate!, minutes);
    b.actualStart = actualStart;
    b.actualEnd = actualEnd;
    b.lateArrival = actualStart.getTime() - start.getTime() > POLICY.noShowGraceMinutes * MINUTE;
    b.billableMinutes = minutes;
    b.billedAmount = amount;
    b.updatedAt = actualEnd;
    counts.completed++;
    if (external && amount > 0) {
      lines.push({
        id: stableId(`${p.key}:line:use`),
        labId: b.labId!,
        customerOrgId: b.customerOrgId!,
        sourceKind: 'booking',
        sourceId: b.id!,
        charge: 'use',
        descriptionZh: `仪器机时：${p.name.zh} ${label}（${minutes / 60} 小时）`,
        descriptionEn: `Instrument time: ${p.name.en} ${label} (${minutes / 60} h)`,
        amountFen: amount,
        taxRateBp: TAX_BP,
        occurredAt: actualEnd,
        createdAt: actualEnd,
      });
    }
  });

  // Billing: per the lab's terms for the customer. Monthly accounts accrue and are invoiced on the
  // 1st of the next month (November's not yet); the others get an invoice at check-out.
  const journals: Journal[] = [];
  const newInvoices: (InvoiceRow & { _lines: LineRow[]; _key: string })[] = [];
  const monthly = new Map<string, LineRow[]>();
  for (const l of lines) {
    const t = termsOf(l.labId, l.customerOrgId);
    if (t.terms === 'monthly') {
      journals.push({
        id: stableId(`${l.id}:journal:charge`),
        book: l.labId,
        kind: 'charge',
        sourceKind: `booking:${l.charge}`,
        sourceId: l.sourceId,
        memo: l.descriptionZh,
        at: l.occurredAt as Date,
        entries: [
          { code: 'unbilled', counterparty: l.customerOrgId, amount: l.amountFen },
          { code: 'revenue', counterparty: null, amount: -(l.amountFen - vat(l.amountFen)) },
          { code: 'vat_output', counterparty: null, amount: -vat(l.amountFen) },
        ],
      });
      const month = chinaDay(l.occurredAt as Date).slice(0, 7);
      const issue = addDays(`${month}-01`, 32).slice(0, 7) + '-01';
      const k = `${l.labId}|${l.customerOrgId}|${issue}`;
      monthly.set(k, [...(monthly.get(k) ?? []), l]);
    } else {
      newInvoices.push({
        _key: `${l.id}:invoice`,
        _lines: [l],
        ...invoiceOf(l.labId, l.customerOrgId, [l], l.occurredAt as Date, t),
      });
    }
  }
  for (const [k, ls] of monthly) {
    const [labId, customer, issue] = k.split('|') as [string, string, string];
    const at = china(issue, 60); // the monthly run, 01:00 China time
    newInvoices.push({
      _key: `booking-history:monthly:${k}`,
      _lines: ls,
      ...invoiceOf(labId, customer, ls, at, termsOf(labId, customer)),
    });
  }
  function invoiceOf(
    labId: string,
    customer: string,
    ls: LineRow[],
    at: Date,
    t: ReturnType<typeof termsOf>,
  ): Omit<InvoiceRow, 'number' | 'seq'> & { number: string; seq: number } {
    const total = ls.reduce((s, l) => s + l.amountFen, 0);
    return {
      labId,
      customerOrgId: customer,
      kind: 'invoice',
      number: '',
      year: 2026,
      seq: 0,
      status: 'open',
      totalFen: total,
      issuedAt: at,
      dueDate: addDays(chinaDay(at), t.terms === 'prepay' ? 0 : t.dueDays),
      paymentReference: '',
      payee: { accountName: t.lab.accountName, bankName: t.lab.bankName, accountNumber: t.lab.accountNumber },
      terms: t.terms,
      createdAt: at,
      updatedAt: at,
    };
  }

  // Numbers continue each lab's 2026 sequence in issue order; every invoice is paid by transfer.
  newInvoices.sort((a, b) => (a.issuedAt as Date).getTime() - (b.issuedAt as Date).getTime());
  const labIds = [...new Set(newInvoices.map((i) => i.labId))];
  const counters = labIds.length
    ? await tx
        .select({ orgId: invoiceCounters.orgId, last: invoiceCounters.last })
        .from(invoiceCounters)
        .where(and(inArray(invoiceCounters.orgId, labIds), eq(invoiceCounters.year, 2026)))
    : [];
  const seqOf = new Map(counters.map((c) => [c.orgId, c.last]));
  const paymentRows: PaymentRow[] = [];
  for (const inv of newInvoices) {
    const seq = (seqOf.get(inv.labId) ?? 0) + 1;
    seqOf.set(inv.labId, seq);
    inv.id = stableId(inv._key);
    inv.seq = seq;
    inv.number = `ZD-2026-${String(seq).padStart(6, '0')}`;
    inv.paymentReference = reference(inv._key);
    const issued = inv.issuedAt as Date;
    const wait = inv.terms === 'prepay' ? rnd.int(0, 1) : rnd.int(2, 12);
    const paidAt = china(workingDaysFrom(chinaDay(issued), Math.max(wait, 1)), OPEN_MIN + 30 * rnd.int(1, 15));
    inv.status = 'paid';
    inv.amountPaidFen = inv.totalFen;
    inv.paidAt = paidAt;
    inv.updatedAt = paidAt;
    for (const l of inv._lines) l.invoiceId = inv.id;
    const total = inv.totalFen;
    const accrued = inv.terms === 'monthly';
    journals.push({
      id: stableId(`${inv._key}:journal:invoice`),
      book: inv.labId,
      kind: 'invoice',
      sourceKind: 'invoice',
      sourceId: inv.id,
      memo: inv.number,
      at: issued,
      entries: [
        { code: 'receivable', counterparty: inv.customerOrgId, amount: total, invoiceId: inv.id },
        ...(accrued
          ? [{ code: 'unbilled', counterparty: inv.customerOrgId, amount: -total }]
          : [
              {
                code: 'revenue',
                counterparty: null,
                amount: -(total - inv._lines.reduce((s, l) => s + vat(l.amountFen), 0)),
              },
              { code: 'vat_output', counterparty: null, amount: -inv._lines.reduce((s, l) => s + vat(l.amountFen), 0) },
            ]),
      ],
    });
    const paymentId = stableId(`${inv._key}:payment`);
    const note = `对公转账 ${inv.paymentReference}`;
    paymentRows.push({
      id: paymentId,
      labId: inv.labId,
      customerOrgId: inv.customerOrgId,
      invoiceId: inv.id,
      channel: 'bank_transfer',
      amountFen: total,
      receivedOn: chinaDay(paidAt),
      note,
      createdAt: paidAt,
    });
    journals.push({
      id: stableId(`${inv._key}:journal:payment`),
      book: inv.labId,
      kind: 'payment',
      sourceKind: 'payment',
      sourceId: paymentId,
      memo: `${inv.number} ${note}`,
      at: paidAt,
      entries: [
        { code: 'bank', counterparty: null, amount: total },
        { code: 'receivable', counterparty: inv.customerOrgId, amount: -total, invoiceId: inv.id },
      ],
    });
  }

  // Ledger accounts (created when first posted to, as the ledger does).
  const accountKeys = new Map<string, { book: string; code: string; counterparty: string | null }>();
  for (const j of journals)
    for (const e of j.entries) accountKeys.set(`${j.book}|${e.code}|${e.counterparty ?? ''}`, { book: j.book, ...e });
  const accountId = new Map<string, string>();
  for (const [k, a] of accountKeys) {
    await tx
      .insert(ledgerAccounts)
      .values({
        id: stableId(`ledger-account:${a.book}:${a.code}:${a.counterparty ?? ''}`),
        bookOrgId: a.book,
        code: a.code,
        counterpartyOrgId: a.counterparty,
      })
      .onConflictDoNothing();
    const [row] = await tx
      .select({ id: ledgerAccounts.id })
      .from(ledgerAccounts)
      .where(
        sql`${ledgerAccounts.bookOrgId} = ${a.book} AND ${ledgerAccounts.code} = ${a.code} AND ${ledgerAccounts.counterpartyOrgId} IS NOT DISTINCT FROM ${a.counterparty}::uuid`,
      );
    accountId.set(k, row!.id);
  }

  const batches = async <T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
  };
  await batches(
    planned.map((p) => p.row),
    200,
    (c) => tx.insert(bookings).values(c),
  );
  if (violations.length > 0) await tx.insert(bookingViolations).values(violations);
  await batches(
    newInvoices.map(({ _lines: _l, _key: _k, ...inv }) => inv),
    200,
    (c) => tx.insert(invoices).values(c),
  );
  await batches(lines, 200, (c) => tx.insert(invoiceLines).values(c));
  await batches(paymentRows, 200, (c) => tx.insert(payments).values(c));
  await batches(journals, 200, (c) =>
    tx.insert(ledgerTransactions).values(
      c.map((j) => ({
        id: j.id,
        bookOrgId: j.book,
        kind: j.kind,
        sourceKind: j.sourceKind,
        sourceId: j.sourceId,
        memo: j.memo,
        postedAt: j.at,
        createdAt: j.at,
      })),
    ),
  );
  const entries = journals.flatMap((j) =>
    j.entries
      .filter((e) => e.amount !== 0)
      .map((e) => ({
        transactionId: j.id,
        accountId: accountId.get(`${j.book}|${e.code}|${e.counterparty ?? ''}`)!,
        amountFen: e.amount,
        invoiceId: e.invoiceId ?? null,
      })),
  );
  await batches(entries, 500, (c) => tx.insert(ledgerEntries).values(c));
  for (const [lab, last] of seqOf) {
    await tx
      .insert(invoiceCounters)
      .values({ orgId: lab, year: 2026, last })
      .onConflictDoUpdate({
        target: [invoiceCounters.orgId, invoiceCounters.year],
        set: { last: sql`GREATEST(${invoiceCounters.last}, ${last})` },
      });
  }
  return {
    bookings: planned.length,
    ...counts,
    invoices: newInvoices.length,
    payments: paymentRows.length,
  };
}
