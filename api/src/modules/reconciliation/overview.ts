import type { Db } from '@qihub/db';
import { DateTime } from 'luxon';
import { platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { badRequest, forbidden } from '../../lib/errors.ts';
import { money } from '../../lib/money.ts';
import { regionPrefix } from '../../lib/region.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import * as repo from './repository.ts';
import { voucherClaimFigures } from './repository/voucher-claims.ts';
import { discrepancyView } from './view.ts';

const CHANNELS = ['bank_transfer', 'card', 'voucher', 'credit', 'manual'] as const;
const MAX_DISCREPANCIES = 1000;

/** The admin's platform scopes as region prefixes; 403 for anyone who is no platform admin. */
export function adminPrefixes(actor: Actor | null): string[] {
  const scopes = platformScopes(requireActor(actor));
  if (scopes.length === 0) throw forbidden('Only platform administrators reconcile.');
  return scopes.map(regionPrefix);
}

/**
 * Per lab of the admin's region over from..to (inclusive dates, Asia/Shanghai): booked and used
 * minutes, billed (bookings' billed amounts + accepted orders), invoiced, paid by channel, voucher
 * redemption claims (claimed = filed in the period, approved = approved in it, paid = the programmes'
 * payments received in it), outstanding with ageing at `to`; and the current discrepancies.
 */
export async function reconciliation(deps: { db: Db }, actor: Actor | null, q: { from: string; to: string }) {
  const prefixes = adminPrefixes(actor);
  if (q.from > q.to) throw badRequest('invalid_range', '`from` must not be after `to`.');
  const p: repo.Period = {
    start: DateTime.fromISO(q.from, { zone: PLATFORM_TIME_ZONE }).toJSDate(),
    end: DateTime.fromISO(q.to, { zone: PLATFORM_TIME_ZONE }).plus({ days: 1 }).toJSDate(),
    fromDate: q.from,
    toDate: q.to,
  };
  const labs = await repo.labsInRegions(deps.db, prefixes);
  const ids = labs.map((l) => l.id);
  if (ids.length === 0) return { from: q.from, to: q.to, timeZone: PLATFORM_TIME_ZONE, labs: [], discrepancies: [] };
  const [bookings, orders, inv, paid, vouchers, owed, found] = await Promise.all([
    repo.bookingFigures(deps.db, ids, p),
    repo.ordersBilled(deps.db, ids, p),
    repo.invoiced(deps.db, ids, p),
    repo.paidByChannel(deps.db, ids, p),
    voucherClaimFigures(deps.db, ids, p),
    repo.outstanding(deps.db, ids, p),
    repo.currentDiscrepancies(deps.db, ids, MAX_DISCREPANCIES),
  ]);
  return {
    from: q.from,
    to: q.to,
    timeZone: PLATFORM_TIME_ZONE,
    labs: labs.map((lab) => {
      const b = bookings.get(lab.id) ?? { booked: 0, used: 0, billed: 0 };
      const o = owed.get(lab.id) ?? { total: 0, notDue: 0, d30: 0, d60: 0, d90: 0, d90plus: 0 };
      const v = vouchers.get(lab.id) ?? { claimed: 0, approved: 0, paid: 0 };
      const byChannel = CHANNELS.map((channel) => ({
        channel,
        amount: money(
          paid.filter((x) => x.labId === lab.id && x.channel === channel).reduce((s, x) => s + x.amount, 0),
        ),
      }));
      return {
        lab,
        bookedMinutes: b.booked,
        usedMinutes: b.used,
        billed: money(b.billed + (orders.get(lab.id) ?? 0)),
        invoiced: money(inv.get(lab.id) ?? 0),
        paid: { total: money(byChannel.reduce((s, c) => s + c.amount.amount, 0)), byChannel },
        vouchers: { claimed: money(v.claimed), approved: money(v.approved), paid: money(v.paid) },
        outstanding: {
          total: money(o.total),
          notDue: money(o.notDue),
          days0to30: money(o.d30),
          days31to60: money(o.d60),
          days61to90: money(o.d90),
          over90: money(o.d90plus),
        },
        openDiscrepancies: found.filter((d) => d.labId === lab.id && d.resolvedAt === null).length,
      };
    }),
    discrepancies: found.map(discrepancyView),
  };
}
