import { eq } from 'drizzle-orm';
import { instruments, sites, type DbOrTx } from '@qihub/db';

/**
 * An instrument's lab, status, hourly rates and site, with the site's time zone (bookings price and
 * place their times by it; lab settings check the lab). With `lock`, the instrument row is taken
 * for update.
 */
export async function findInstrumentAtSite(db: DbOrTx, id: string, lock = false) {
  const q = db
    .select({
      id: instruments.id,
      labId: instruments.labId,
      status: instruments.status,
      internalRateHour: instruments.internalRateHour,
      externalRateHour: instruments.externalRateHour,
      currency: instruments.currency,
      siteId: instruments.siteId,
      timeZone: sites.timeZone,
    })
    .from(instruments)
    .innerJoin(sites, eq(sites.id, instruments.siteId))
    .where(eq(instruments.id, id))
    .limit(1);
  const [row] = lock ? await q.for('update', { of: instruments }) : await q;
  return row;
}
