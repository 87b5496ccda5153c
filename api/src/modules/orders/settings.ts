import { eq } from 'drizzle-orm';
import { DEFAULT_QUOTE_TERMS, labOrderSettings, type DbOrTx, type Order, type QuoteTerms } from '@qihub/db';
import { defaultReportPrefix } from './report-prefix.ts';

/** A lab's rules for orders and reports, with the defaults filled in when it never saved any. */
export interface OrderSettings {
  reportPrefix: string;
  objectionDays: number;
  expediteH72Pct: number;
  expediteH24Pct: number;
  expediteH8Pct: number;
  autoQuoteFixedPrice: boolean;
  quoteValidityDays: number;
}

/** Defaults (DOMAIN: 15-day objection window; expedite ≤72 h +30 %, ≤24 h +100 %, ≤8 h +150 %). */
export const DEFAULT_ORDER_SETTINGS: Omit<OrderSettings, 'reportPrefix'> = {
  ...DEFAULT_QUOTE_TERMS,
  autoQuoteFixedPrice: true,
  quoteValidityDays: 30,
};

/** The lab's order settings (its row, or the defaults). Reads only; usable inside a transaction. */
export async function orderSettingsFor(db: DbOrTx, labId: string): Promise<OrderSettings> {
  const [row] = await db.select().from(labOrderSettings).where(eq(labOrderSettings.labId, labId)).limit(1);
  // Without a row the prefix shown is the default the lab would be given now (report-prefix.ts).
  if (!row) return { reportPrefix: await defaultReportPrefix(db, labId), ...DEFAULT_ORDER_SETTINGS };
  return {
    reportPrefix: row.reportPrefix,
    objectionDays: row.objectionDays,
    expediteH72Pct: row.expediteH72Pct,
    expediteH24Pct: row.expediteH24Pct,
    expediteH8Pct: row.expediteH8Pct,
    autoQuoteFixedPrice: row.autoQuoteFixedPrice,
    quoteValidityDays: row.quoteValidityDays,
  };
}

/** The part of the lab's settings shown with a quote, as it is copied onto the order when quoted. */
export function quoteTermsOf(settings: OrderSettings): QuoteTerms {
  return {
    expediteH72Pct: settings.expediteH72Pct,
    expediteH24Pct: settings.expediteH24Pct,
    expediteH8Pct: settings.expediteH8Pct,
    objectionDays: settings.objectionDays,
  };
}

/**
 * The terms that bind the order: those copied onto its quote, so a lab that changes its settings
 * after quoting changes nothing for that quote. An order not quoted yet is shown the lab's current ones.
 */
export async function termsOfOrder(db: DbOrTx, order: Pick<Order, 'labId' | 'quoteTerms'>): Promise<QuoteTerms> {
  return order.quoteTerms ?? quoteTermsOf(await orderSettingsFor(db, order.labId));
}
