import type { Db } from '@qihub/db';
import { isLabMember, membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { badRequest, forbidden, notFound } from '../../lib/errors.ts';
import { money } from '../../lib/money.ts';
import { regionPrefix } from '../../lib/region.ts';
import { accountName } from './accounts.ts';
import * as repo from './repository.ts';

export interface Period {
  from: string;
  to: string;
}

function checkPeriod(p: Period) {
  if (p.from > p.to) throw badRequest('invalid_range', '`from` must not be after `to`.');
}

function answer(rows: repo.TrialBalanceRow[]) {
  const accounts = rows.map((r) => ({
    book: { id: r.book, nameZh: r.bookNameZh, nameEn: r.bookNameEn },
    code: r.code,
    name: accountName(r.code, 'zh'),
    nameEn: accountName(r.code, 'en'),
    counterparty: r.counterparty === null ? null : { id: r.counterparty, nameZh: r.counterpartyNameZh ?? '' },
    debit: money(r.debit),
    credit: money(r.credit),
  }));
  const debit = rows.reduce((s, r) => s + r.debit, 0);
  const credit = rows.reduce((s, r) => s + r.credit, 0);
  return { accounts, totals: { debit: money(debit), credit: money(credit) } };
}

/** A lab's own trial balance: its managers and staff. */
export async function labTrialBalance(deps: { db: Db }, actor: Actor | null, labId: string, p: Period) {
  const a = requireActor(actor);
  if (!isLabMember(a, labId)) throw notFound('lab');
  const m = membershipIn(a, labId)!;
  if (m.role !== 'manager' && m.role !== 'staff') throw forbidden('Only the lab’s managers and staff see its books.');
  checkPeriod(p);
  return answer(await repo.trialBalance(deps.db, [labId], p.from, p.to));
}

/** The books of every lab and platform in the admin's region(s). */
export async function regionTrialBalance(deps: { db: Db }, actor: Actor | null, p: Period) {
  const a = requireActor(actor);
  const scopes = platformScopes(a);
  if (scopes.length === 0) throw forbidden('Only platform administrators see the region’s books.');
  checkPeriod(p);
  const books = await repo.booksInRegions(deps.db, scopes.map(regionPrefix));
  return answer(await repo.trialBalance(deps.db, books, p.from, p.to));
}
