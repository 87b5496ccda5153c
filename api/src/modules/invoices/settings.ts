import type { BillingTerms, Db } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import * as repo from './repository.ts';
import { DEFAULT_TERMS } from './terms.ts';

export interface SettingsDeps {
  db: Db;
  clock: () => Date;
}

export interface BillingSettingsBody {
  terms: BillingTerms;
  dueDays: number;
  monthlyDueDays: number;
  taxRateBp: number;
  payee: { accountName: string; bankName: string; accountNumber: string };
}

/**
 * Billing terms are the lab's commercial policy: its managers set them, its managers and staff
 * (who prepare invoices and record payments) read them; its operators are refused (403); to
 * anyone else the lab's billing does not exist (404).
 */
function assertBillingAccess(actor: Actor | null, labId: string, edit: boolean): Actor {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  const allowed = edit ? m.role === 'manager' : m.role === 'manager' || m.role === 'staff';
  if (!allowed || m.orgStatus === 'suspended') {
    throw forbidden(
      edit
        ? "Only the lab's managers may change its billing terms."
        : "Only the lab's managers and staff see its billing terms.",
    );
  }
  return a;
}

type SettingsRow = Awaited<ReturnType<typeof repo.findSettings>>;

function settingsView(s: SettingsRow) {
  return {
    terms: s?.terms ?? DEFAULT_TERMS.terms,
    dueDays: s?.dueDays ?? DEFAULT_TERMS.dueDays,
    monthlyDueDays: s?.monthlyDueDays ?? DEFAULT_TERMS.monthlyDueDays,
    taxRateBp: s?.taxRateBp ?? DEFAULT_TERMS.taxRateBp,
    payee: {
      accountName: s?.accountName ?? '',
      bankName: s?.bankName ?? '',
      accountNumber: s?.accountNumber ?? '',
    },
    isDefault: !s,
  };
}

export async function getBillingSettings(deps: SettingsDeps, actor: Actor | null, labId: string) {
  assertBillingAccess(actor, labId, false);
  return settingsView(await repo.findSettings(deps.db, labId));
}

/** Replaces the lab's billing settings; invoices already issued keep the terms and payee they were issued with. */
export async function putBillingSettings(
  deps: SettingsDeps,
  actor: Actor | null,
  labId: string,
  body: BillingSettingsBody,
  requestId?: string,
) {
  const a = assertBillingAccess(actor, labId, true);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const before = await repo.findSettings(tx, labId);
    const saved = await repo.upsertSettings(tx, {
      orgId: labId,
      terms: body.terms,
      dueDays: body.dueDays,
      monthlyDueDays: body.monthlyDueDays,
      taxRateBp: body.taxRateBp,
      accountName: body.payee.accountName.trim(),
      bankName: body.payee.bankName.trim(),
      accountNumber: body.payee.accountNumber.trim(),
      updatedAt: now,
    });
    const view = settingsView(saved);
    await recordAudit(tx, a, {
      at: now,
      action: 'billing_settings.updated',
      entityType: 'organisation',
      entityId: labId,
      orgId: labId,
      before: before ? settingsView(before) : null,
      after: view,
      requestId,
    });
    return view;
  });
}

function customerTermsView(r: Awaited<ReturnType<typeof repo.listCustomerTerms>>[number]) {
  return {
    customerOrgId: r.customerOrgId,
    customer: { id: r.customerOrgId, nameZh: r.nameZh, nameEn: r.nameEn },
    terms: r.terms,
    dueDays: r.dueDays,
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function listCustomerTerms(deps: SettingsDeps, actor: Actor | null, labId: string) {
  assertBillingAccess(actor, labId, false);
  return { items: (await repo.listCustomerTerms(deps.db, labId)).map(customerTermsView) };
}

/** Sets the lab's terms for one customer (overriding its defaults); `dueDays` absent = the lab's default. */
export async function putCustomerTerms(
  deps: SettingsDeps,
  actor: Actor | null,
  labId: string,
  customerOrgId: string,
  body: { terms: BillingTerms; dueDays?: number | null },
  requestId?: string,
) {
  const a = assertBillingAccess(actor, labId, true);
  if (customerOrgId === labId) throw unprocessable('own_lab', 'A lab does not bill itself.');
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const customer = await repo.findOrganisation(tx, customerOrgId);
    if (!customer) throw notFound('organisation');
    const before = await repo.findCustomerTerms(tx, labId, customerOrgId);
    const saved = await repo.upsertCustomerTerms(tx, {
      orgId: labId,
      customerOrgId,
      terms: body.terms,
      dueDays: body.dueDays ?? null,
      updatedAt: now,
    });
    const view = customerTermsView({ ...saved, nameZh: customer.nameZh, nameEn: customer.nameEn });
    await recordAudit(tx, a, {
      at: now,
      action: 'customer_terms.updated',
      entityType: 'organisation',
      entityId: customerOrgId,
      orgId: labId,
      before: before ? { terms: before.terms, dueDays: before.dueDays } : null,
      after: { terms: view.terms, dueDays: view.dueDays },
      requestId,
    });
    return view;
  });
}

/** Removes a customer's own terms: the lab's defaults apply to it again. */
export async function deleteCustomerTerms(
  deps: SettingsDeps,
  actor: Actor | null,
  labId: string,
  customerOrgId: string,
  requestId?: string,
) {
  const a = assertBillingAccess(actor, labId, true);
  await deps.db.transaction(async (tx) => {
    const gone = await repo.deleteCustomerTerms(tx, labId, customerOrgId);
    if (!gone) throw notFound('customer terms');
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'customer_terms.deleted',
      entityType: 'organisation',
      entityId: customerOrgId,
      orgId: labId,
      before: { terms: gone.terms, dueDays: gone.dueDays },
      requestId,
    });
  });
}
