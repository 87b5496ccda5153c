import { DateTime } from 'luxon';
import type { Db, Invoice } from '@qihub/db';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { issueInvoice } from './billing.ts';
import * as repo from './repository.ts';
import { termsFor } from './terms.ts';

/** The first instant of the month `now` falls in, in China time (月结 periods are China months). */
export function monthStart(now: Date): Date {
  return DateTime.fromJSDate(now, { zone: PLATFORM_TIME_ZONE }).startOf('month').toJSDate();
}

/**
 * 月结: each (issuer, customer)'s lines not yet on an invoice that occurred before this month
 * (China time) go on one invoice, due in the customer's monthly days. Meant for the 1st of the
 * month, safe at any time and any number of times: each pair is invoiced under a transaction-level
 * advisory lock with its lines locked FOR UPDATE, so a rerun or a second worker finds them already
 * on the invoice and bills nothing twice. A month whose lines net below zero (credits beyond the
 * charges) waits for later charges rather than becoming a negative invoice. Returns the invoices.
 */
export async function invoiceMonthlyAccounts(db: Db, now: Date): Promise<Invoice[]> {
  const before = monthStart(now);
  const pairs = await repo.unbilledPairs(db, before);
  const issued: Invoice[] = [];
  for (const pair of pairs) {
    const invoice = await db.transaction(async (tx) => {
      await repo.lockMonthlyAccount(tx, pair.labId, pair.customerOrgId);
      const lines = await repo.lockUnbilledLines(tx, pair.labId, pair.customerOrgId, before);
      const total = lines.reduce((s, l) => s + l.amountFen, 0);
      if (lines.length === 0 || total < 0) return null;
      const terms = await termsFor(tx, pair.labId, pair.customerOrgId);
      return issueInvoice(tx, {
        labId: pair.labId,
        customerOrgId: pair.customerOrgId,
        lines,
        // Each line was accrued to `unbilled` when it was charged.
        accrued: true,
        terms: { ...terms, terms: 'monthly' },
        at: now,
      });
    });
    if (invoice) issued.push(invoice);
  }
  return issued;
}
