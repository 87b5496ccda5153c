import { DEFAULT_QUOTE_TERMS, type Db, type DbOrTx, type Order, type QuoteTerms } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { assertReportPrefixFree, claimReportPrefix, defaultReportPrefix, reportPrefixRace } from './report-prefix.ts';
import { findOrganisationSummary } from '../../lib/repository/organisation-summary.ts';
import { findOrderSettings, upsertOrderSettings } from './repository/settings.ts';
import type { OrderDeps } from './deps.ts';

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
  const row = await findOrderSettings(db, labId);
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

/* The lab's own page of order settings: its members read them, its managers change them. */

async function labFor(db: Db, actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  const lab = await findOrganisationSummary(db, labId);
  if (!lab || lab.kind !== 'lab') throw notFound('lab');
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw forbidden('Only members of this lab may see its order settings.');
  return { actor: a, role: m.role };
}

export async function getOrderSettings(deps: OrderDeps, actor: Actor | null, labId: string) {
  await labFor(deps.db, actor, labId);
  const row = await findOrderSettings(deps.db, labId);
  return { labId, ...(await orderSettingsFor(deps.db, labId)), saved: !!row };
}

export async function putOrderSettings(
  deps: OrderDeps,
  actor: Actor | null,
  labId: string,
  input: Partial<OrderSettings>,
) {
  const { actor: a, role } = await labFor(deps.db, actor, labId);
  if (role !== 'manager') throw forbidden('Only a manager of this lab may change its order settings.');
  return deps.db.transaction(async (tx) => {
    const before = await orderSettingsFor(tx, labId);
    // A prefix names one lab: a chosen one must be free; a lab without one is given its default now.
    if (input.reportPrefix) await assertReportPrefixFree(tx, labId, input.reportPrefix);
    const now = deps.clock();
    const reportPrefix = input.reportPrefix ?? (await claimReportPrefix(tx, labId, DEFAULT_ORDER_SETTINGS, now));
    const next = { ...before, ...input, reportPrefix };
    await upsertOrderSettings(tx, labId, next, now).catch((error: unknown) => {
      throw reportPrefixRace(error, reportPrefix);
    });
    await recordAudit(tx, a, {
      at: now,
      action: 'lab.order_settings_changed',
      entityType: 'organisation',
      entityId: labId,
      orgId: labId,
      before,
      after: next,
    });
    return { labId, ...next, saved: true };
  });
}
