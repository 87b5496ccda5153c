import { randomUUID } from 'node:crypto';
import type { Db } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../../lib/audit.ts';
import { withAttempt } from './attempts.ts';
import type { PaymentDeps } from './deps.ts';
import { cardNotOffered, refreshed } from './onboarding.ts';
import type { CardSetupState, CheckoutSession, PaymentProvider } from './port.ts';
import * as repo from './repository.ts';
import * as cards from './repository/cards.ts';

/**
 * A card on file (卡片留存): a customer saves a card with a lab ONCE — Checkout in setup mode on the
 * lab's connected account, with the customer organisation as a Customer there — and the lab's
 * charges for its bookings (actual use at check-out, a late-cancellation or no-show fee) are then
 * made off-session (off-session.ts). The card is the customer's with that lab, not with the
 * platform: the Customer and the PaymentMethod live on the lab's own merchant account.
 */

/** Only the organisation's own members see or change its cards; anyone else is told nothing (404). */
function memberOf(actor: Actor | null, orgId: string) {
  const a = requireActor(actor);
  if (!membershipIn(a, orgId)) throw notFound('organisation');
  return a;
}

async function labOf(db: Db, labId: string) {
  const lab = await cards.orgName(db, labId);
  if (!lab || lab.kind !== 'lab') throw notFound('lab');
  return lab;
}

const cannotTakeCards = () =>
  new AppError(
    422,
    'lab_cannot_take_cards',
    '该机构尚未开通银行卡收款，无法保存银行卡。 This lab does not take cards yet, so no card can be saved with it.',
  );

export interface CardView {
  id: string;
  labId: string;
  labNameZh: string;
  labNameEn: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  createdAt: string;
}

function cardView(row: Awaited<ReturnType<typeof cards.cardsOf>>[number]): CardView {
  const c = row.card;
  return {
    id: c.id,
    labId: c.labId,
    labNameZh: row.labNameZh,
    labNameEn: row.labNameEn,
    brand: c.brand,
    last4: c.last4,
    expMonth: c.expMonth,
    expYear: c.expYear,
    createdAt: c.createdAt.toISOString(),
  };
}

/** `GET /v1/orgs/{orgId}/cards`: the organisation's saved cards (brand, last four, expiry — never card data). */
export async function listCards(deps: PaymentDeps, actor: Actor | null, orgId: string, labId?: string) {
  memberOf(actor, orgId);
  const rows = await cards.cardsOf(deps.db, orgId, labId);
  return { items: rows.map(cardView), nextCursor: null };
}

/**
 * `GET /v1/labs/{labId}/card-on-file?orgId=`: whether the customer can save a card with this lab
 * now (cards offered on this platform and the lab's account takes charges) and the card in use.
 */
export async function cardOnFile(deps: PaymentDeps, actor: Actor | null, labId: string, orgId: string) {
  memberOf(actor, orgId);
  await labOf(deps.db, labId);
  const acct = deps.provider ? await refreshed(deps, deps.provider, labId) : undefined;
  const [row] = await cards.cardsOf(deps.db, orgId, labId);
  return {
    available: !!acct?.chargesEnabled,
    reason: !deps.provider
      ? ('card_not_offered' as const)
      : !acct?.chargesEnabled
        ? ('lab_cannot_take_cards' as const)
        : null,
    card: row ? cardView(row) : null,
  };
}

/**
 * `POST /v1/labs/{labId}/card-setup`: a hosted page (Checkout, setup mode) on the lab's account
 * where a member of the customer organisation saves a card. Nothing is charged and nothing is
 * stored until the processor confirms the setup by webhook (re-read, settle.ts → `saveCardFromSetup`).
 */
export async function startCardSetup(
  deps: PaymentDeps,
  actor: Actor | null,
  labId: string,
  body: { orgId: string; returnTo?: string },
) {
  const a = memberOf(actor, body.orgId);
  const lab = await labOf(deps.db, labId);
  const provider = deps.provider;
  if (!provider) throw cardNotOffered();
  if (body.orgId === labId) throw notFound('lab');
  const acct = await refreshed(deps, provider, labId);
  if (!acct?.chargesEnabled) throw cannotTakeCards();
  const customerId = await customerOn(deps, provider, acct.accountId, labId, body.orgId);
  const web = deps.webUrl.replace(/\/+$/, '');
  const back = `${web}${body.returnTo ?? '/invoices'}`;
  const params = {
    customerId,
    orgId: body.orgId,
    labId,
    successUrl: `${back}${back.includes('?') ? '&' : '?'}card=saved`,
    cancelUrl: back,
  };
  // Each request is a new page (a session is single-use), still under a key persisted first.
  const session = await withAttempt<CheckoutSession>(
    deps.db,
    deps.clock,
    {
      key: `card-setup:${labId}:${body.orgId}:${randomUUID()}`,
      operation: 'checkout.setup',
      account: acct.accountId,
      params,
    },
    (key) => provider.createCardSetup(acct.accountId, params, key),
  );
  await recordAudit(deps.db, a, {
    at: deps.clock(),
    action: 'card.setup_started',
    entityType: 'organisation',
    entityId: body.orgId,
    orgId: body.orgId,
    after: { labId, lab: lab.nameZh, sessionId: session.id },
  });
  return { url: session.url, sessionId: session.id, expiresAt: new Date(session.expiresAt * 1000).toISOString() };
}

/** The customer organisation's Customer on the lab's account, created once (the key is the pair's). */
async function customerOn(deps: PaymentDeps, provider: PaymentProvider, account: string, labId: string, orgId: string) {
  const known = await cards.findCustomer(deps.db, orgId, labId);
  if (known && known.account === account) return known.customerId;
  const org = (await cards.orgName(deps.db, orgId))!;
  const params = { orgId, labId, name: org.nameZh || org.nameEn };
  const created = await withAttempt<{ id: string }>(
    deps.db,
    deps.clock,
    { key: `customer:${account}:${orgId}`, operation: 'customer.create', account, params },
    (key) => provider.createCustomer(account, params, key),
  );
  const row = await cards.insertCustomer(deps.db, {
    customerOrgId: orgId,
    labId,
    account,
    customerId: created.id,
    createdAt: deps.clock(),
  });
  return row.customerId;
}

/**
 * A setup the processor confirmed (re-read, never taken from the browser): the card is stored once
 * (by its PaymentMethod id) as the one in use for (customer, lab), replacing an earlier one. Only a
 * setup on the lab's own account, for the Customer we created there for that organisation, counts.
 */
export async function saveCardFromSetup(deps: { db: Db; clock: () => Date }, account: string, s: CardSetupState) {
  if (s.status !== 'succeeded' || !s.card) return s.status === 'succeeded' ? 'no_card' : s.status;
  const { card, orgId, labId } = s;
  if (!orgId || !labId || !/^[0-9a-f-]{36}$/i.test(orgId) || !/^[0-9a-f-]{36}$/i.test(labId)) return 'unrelated';
  return deps.db.transaction(async (tx) => {
    const acct = await repo.accountByExternalId(tx, account);
    if (!acct || acct.labId !== labId) return 'unknown_account';
    const customer = await cards.findCustomer(tx, orgId, labId);
    if (!customer || customer.customerId !== s.customerId || customer.account !== account) return 'unknown_customer';
    await cards.lockCustomer(tx, orgId, labId);
    if (await cards.findCardByPaymentMethod(tx, card.paymentMethodId)) return 'duplicate';
    const saved = await cards.saveCard(tx, {
      customerOrgId: orgId,
      labId,
      account,
      customerId: customer.customerId,
      paymentMethodId: card.paymentMethodId,
      brand: card.brand,
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
      createdAt: deps.clock(),
    });
    if (!saved) return 'duplicate';
    await recordAudit(tx, null, {
      at: deps.clock(),
      action: 'card.saved',
      entityType: 'organisation',
      entityId: orgId,
      orgId,
      after: { cardId: saved.id, labId, brand: saved.brand, last4: saved.last4 },
    });
    return 'card_saved';
  });
}

/**
 * `DELETE /v1/orgs/{orgId}/cards/{cardId}`: the card is detached at the processor (so the lab can
 * never charge it again) and then taken out of use here. If the processor cannot be reached
 * nothing changes (502, retry). Charges already asked for are not undone.
 */
export async function removeCard(deps: PaymentDeps, actor: Actor | null, orgId: string, cardId: string) {
  const a = memberOf(actor, orgId);
  const card = await cards.findCard(deps.db, cardId);
  if (!card || card.customerOrgId !== orgId || card.removedAt) throw notFound('card');
  const provider = deps.provider;
  if (provider) {
    try {
      await withAttempt(
        deps.db,
        deps.clock,
        {
          key: `detach:${card.paymentMethodId}`,
          operation: 'payment_method.detach',
          account: card.account,
          params: { id: card.paymentMethodId },
        },
        (key) => provider.detachCard(card.account, card.paymentMethodId, key),
      );
    } catch (error) {
      // Refused (already detached, the account gone): it cannot be charged anyway — remove it here.
      if (!(error instanceof AppError && error.code === 'processor_refused')) throw error;
    }
  }
  await deps.db.transaction(async (tx) => {
    if (!(await cards.removeCard(tx, card.id, deps.clock()))) return;
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'card.removed',
      entityType: 'organisation',
      entityId: orgId,
      orgId,
      before: { cardId: card.id, labId: card.labId, brand: card.brand, last4: card.last4 },
    });
  });
}
