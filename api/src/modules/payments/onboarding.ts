import { randomUUID } from 'node:crypto';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import { withAttempt } from './attempts.ts';
import type { PaymentDeps } from './deps.ts';
import type { AccountStatus, PaymentProvider } from './port.ts';
import * as repo from './repository.ts';

export const cardNotOffered = () =>
  new AppError(
    422,
    'card_not_offered',
    '本平台未开通银行卡支付，请使用对公转账或创新券。 Card payments are not offered here: pay by bank transfer or voucher.',
  );

function labRole(actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  return { a, m };
}

/** The lab's merchant account as it stands, refreshed from the processor while it cannot yet charge. */
export async function refreshed(deps: PaymentDeps, provider: PaymentProvider, labId: string) {
  const acct = await repo.findAccount(deps.db, labId);
  if (!acct || acct.chargesEnabled) return acct;
  const s = await provider.retrieveAccount(acct.accountId).catch(() => null);
  if (!s) return acct;
  await repo.updateAccountStatus(deps.db, acct.accountId, { ...s, at: deps.clock() });
  return { ...acct, chargesEnabled: s.chargesEnabled, detailsSubmitted: s.detailsSubmitted };
}

/**
 * `GET /v1/labs/{labId}/stripe`: whether cards are offered, the lab's account as the processor shows
 * it now (payouts and what it still needs are read live, never stored), and the platform's fee rate
 * that card payments to this lab carry (managers and staff). Processor unreachable: the stored
 * status, with payouts and requirements unknown (null).
 */
export async function accountStatus(deps: PaymentDeps, actor: Actor | null, labId: string) {
  const { m } = labRole(actor, labId);
  if (m.role !== 'manager' && m.role !== 'staff') throw forbidden('Only the lab’s managers and staff see this.');
  const lab = await repo.labFacts(deps.db, labId);
  const feeRateBp = lab ? await repo.feeRateBp(deps.db, lab.regionCode) : 0;
  const acct = await repo.findAccount(deps.db, labId);
  let live: AccountStatus | null = null;
  if (acct && deps.provider) {
    live = await deps.provider.retrieveAccount(acct.accountId).catch(() => null);
    if (live && (live.chargesEnabled !== acct.chargesEnabled || live.detailsSubmitted !== acct.detailsSubmitted)) {
      await repo.updateAccountStatus(deps.db, acct.accountId, { ...live, at: deps.clock() });
    }
  }
  return {
    offered: deps.provider !== null,
    feeRateBp,
    account: acct
      ? {
          id: acct.accountId,
          chargesEnabled: live?.chargesEnabled ?? acct.chargesEnabled,
          detailsSubmitted: live?.detailsSubmitted ?? acct.detailsSubmitted,
          payoutsEnabled: live ? live.payoutsEnabled : null,
          requirementsDue: live ? live.requirementsDue : null,
        }
      : null,
  };
}

/**
 * `POST /v1/labs/{labId}/stripe/onboarding` (lab managers): creates the lab's connected account
 * once (the key is the lab's, so two clicks or a retry never make two) and answers an onboarding link.
 */
export async function startOnboarding(deps: PaymentDeps, actor: Actor | null, labId: string) {
  const { m } = labRole(actor, labId);
  if (m.role !== 'manager') throw forbidden('Only a manager of this lab may connect its merchant account.');
  const provider = deps.provider;
  if (!provider) throw cardNotOffered();
  let acct = await repo.findAccount(deps.db, labId);
  if (!acct) {
    const lab = (await repo.labFacts(deps.db, labId))!;
    const params = { labId, name: lab.nameEn || lab.nameZh };
    const created = await withAttempt<AccountStatus>(
      deps.db,
      deps.clock,
      { key: `account:${labId}`, operation: 'account.create', account: null, params },
      (key) => provider.createAccount(params, key),
    );
    acct = await repo.insertAccount(deps.db, { labId, ...created, at: deps.clock() });
  }
  // Back to 财务 → 银行卡, which re-reads the account (return) or offers a new link (refresh: expired or reused).
  const base = `${deps.webUrl.replace(/\/+$/, '')}/console/finance/card?lab=${labId}`;
  const urls = { returnUrl: `${base}&return=1`, refreshUrl: `${base}&refresh=1` };
  const accountId = acct.accountId;
  // A link is single-use and short-lived: each request makes a new one, still under a persisted key.
  const link = await withAttempt(
    deps.db,
    deps.clock,
    { key: `account-link:${accountId}:${randomUUID()}`, operation: 'account_link.create', account: null, params: urls },
    (key) => provider.onboardingLink(accountId, urls, key),
  );
  return {
    accountId,
    chargesEnabled: acct.chargesEnabled,
    url: link.url,
    expiresAt: new Date(link.expiresAt * 1000).toISOString(),
  };
}
