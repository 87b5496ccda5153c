import type { DbOrTx } from '@qihub/db';
import { DateTime } from 'luxon';
import { money, type Money } from '../../lib/money.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import * as repo from './repository.ts';

/** The channels a payment can come through, in the order every statement lists them. */
export const CHANNELS = ['bank_transfer', 'card', 'voucher', 'credit', 'manual'] as const;

export interface StatementKey {
  labId: string;
  /** "YYYY-MM" (Asia/Shanghai). */
  month: string;
  /** Set: the statement of this customer's account with the lab. */
  customerOrgId: string | null;
}

export interface InstrumentLine {
  id: string;
  nameZh: string;
  nameEn: string;
  bookings: number;
  bookedMinutes: number;
  usedMinutes: number;
  usedHours: number;
  completed: number;
  noShows: number;
  cancelled: number;
  billed: Money;
}

/** A statement's content. Everything here is a function of the month's data: no build time, stable order. */
export interface StatementData {
  kind: 'lab' | 'customer';
  month: string;
  period: { from: string; to: string; timeZone: string };
  currency: string;
  lab: { id: string; nameZh: string; nameEn: string };
  customer: { id: string; nameZh: string; nameEn: string } | null;
  bookings: {
    count: number;
    bookedMinutes: number;
    usedMinutes: number;
    usedHours: number;
    completed: number;
    noShows: number;
    cancelled: number;
    billed: Money;
    instruments: InstrumentLine[];
  };
  orders: {
    accepted: { count: number; amount: Money };
    completed: { count: number; amount: Money };
    cancelled: { count: number; fees: Money };
  };
  invoices: {
    issued: { count: number; amount: Money };
    creditNotes: { count: number; amount: Money };
    /** Invoiced less credited in the month: negative when more was credited than invoiced. */
    net: Money;
    items: {
      number: string;
      kind: 'invoice' | 'credit_note';
      issuedOn: string;
      dueDate: string;
      customer: { id: string; nameZh: string };
      total: Money;
      voucherShare: Money;
    }[];
  };
  payments: { total: Money; byChannel: { channel: string; count: number; amount: Money }[] };
  /** From the ledger's voucher_receivable: shares billed to programmes (claimed) and their payments; null on a customer's statement. */
  vouchers: { claimed: Money; paid: Money } | null;
  /** The lab's platform_fee_expense posted in the month; null on a customer's statement. */
  platformFee: Money | null;
  /** What customers owe (receivable + unbilled), before and after the month. */
  receivables: { opening: Money; closing: Money };
}

export const MONTH_PATTERN = '^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$';

/** The month's bounds: local dates and the instants of its first and next month's first midnight in Shanghai. */
export function monthWindow(month: string) {
  const first = DateTime.fromISO(`${month}-01`, { zone: PLATFORM_TIME_ZONE });
  const next = first.plus({ months: 1 });
  return {
    start: first.toJSDate(),
    end: next.toJSDate(),
    fromDate: first.toISODate()!,
    toDate: next.minus({ days: 1 }).toISODate()!,
  };
}

/** "YYYY-MM" of the month before the one `now` falls in (Asia/Shanghai). */
export function previousMonth(now: Date): string {
  return DateTime.fromJSDate(now, { zone: PLATFORM_TIME_ZONE })
    .startOf('month')
    .minus({ months: 1 })
    .toFormat('yyyy-MM');
}

/** Whether the month has begun by `now` (Asia/Shanghai). */
export function monthHasBegun(month: string, now: Date): boolean {
  return monthWindow(month).start.getTime() <= now.getTime();
}

/** Whether the month has ended by `now` (Asia/Shanghai). */
export function monthIsOver(month: string, now: Date): boolean {
  return monthWindow(month).end.getTime() <= now.getTime();
}

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

/** Reads the month's figures (the caller runs it in one repeatable-read transaction). */
export async function collectStatement(tx: DbOrTx, key: StatementKey): Promise<StatementData> {
  const win = monthWindow(key.month);
  const w: repo.Window = { labId: key.labId, customer: key.customerOrgId, ...win };
  const lab = await repo.orgName(tx, key.labId);
  const customer = key.customerOrgId ? await repo.orgName(tx, key.customerOrgId) : null;
  const instruments = await repo.bookingsByInstrument(tx, w);
  const orders = await repo.orderFigures(tx, w);
  const invoices = await repo.invoicesIssued(tx, w);
  const payments = await repo.paymentsByChannel(tx, w);
  const ledger = await repo.ledgerFigures(tx, w, [
    'receivable',
    'unbilled',
    'voucher_receivable',
    'platform_fee_expense',
  ]);
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);
  const led = (code: string) => ledger.get(code) ?? { openingFen: 0, closingFen: 0, debitsFen: 0, creditsFen: 0 };
  const usedMinutes = sum(instruments, (i) => i.usedMinutes);
  const issued = invoices.filter((i) => i.kind === 'invoice');
  const notes = invoices.filter((i) => i.kind === 'credit_note');
  const byChannel = CHANNELS.map((channel) => {
    const p = payments.get(channel) ?? { count: 0, amountFen: 0 };
    return { channel, count: p.count, amount: money(p.amountFen) };
  });
  return {
    kind: key.customerOrgId ? 'customer' : 'lab',
    month: key.month,
    period: { from: win.fromDate, to: win.toDate, timeZone: PLATFORM_TIME_ZONE },
    currency: 'CNY',
    lab: lab ?? { id: key.labId, nameZh: '', nameEn: '' },
    customer,
    bookings: {
      count: sum(instruments, (i) => i.bookings),
      bookedMinutes: sum(instruments, (i) => i.bookedMinutes),
      usedMinutes,
      usedHours: hours(usedMinutes),
      completed: sum(instruments, (i) => i.completed),
      noShows: sum(instruments, (i) => i.noShows),
      cancelled: sum(instruments, (i) => i.cancelled),
      billed: money(sum(instruments, (i) => i.billedFen)),
      instruments: instruments.map((i) => ({
        id: i.id,
        nameZh: i.nameZh,
        nameEn: i.nameEn,
        bookings: i.bookings,
        bookedMinutes: i.bookedMinutes,
        usedMinutes: i.usedMinutes,
        usedHours: hours(i.usedMinutes),
        completed: i.completed,
        noShows: i.noShows,
        cancelled: i.cancelled,
        billed: money(i.billedFen),
      })),
    },
    orders: {
      accepted: { count: orders.accepted, amount: money(orders.acceptedFen) },
      completed: { count: orders.completed, amount: money(orders.completedFen) },
      cancelled: { count: orders.cancelled, fees: money(orders.cancellationFeesFen) },
    },
    invoices: {
      issued: { count: issued.length, amount: money(sum(issued, (i) => i.totalFen)) },
      creditNotes: { count: notes.length, amount: money(sum(notes, (i) => i.totalFen)) },
      net: money(sum(invoices, (i) => i.totalFen)),
      items: invoices.map((i) => ({
        number: i.number,
        kind: i.kind,
        issuedOn: DateTime.fromJSDate(i.issuedAt, { zone: PLATFORM_TIME_ZONE }).toISODate()!,
        dueDate: i.dueDate,
        customer: { id: i.customerId, nameZh: i.customerNameZh },
        total: money(i.totalFen),
        voucherShare: money(i.voucherShareFen),
      })),
    },
    payments: { total: money(sum(byChannel, (c) => c.amount.amount)), byChannel },
    vouchers: key.customerOrgId
      ? null
      : { claimed: money(led('voucher_receivable').debitsFen), paid: money(led('voucher_receivable').creditsFen) },
    platformFee: key.customerOrgId
      ? null
      : money(led('platform_fee_expense').debitsFen - led('platform_fee_expense').creditsFen),
    receivables: {
      opening: money(led('receivable').openingFen + led('unbilled').openingFen),
      closing: money(led('receivable').closingFen + led('unbilled').closingFen),
    },
  };
}
