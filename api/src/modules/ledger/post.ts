import type { Tx } from '@qihub/db';
import { ACCOUNTS, type AccountCode } from './accounts.ts';
import * as repo from './repository.ts';

export interface Posting {
  code: AccountCode;
  /** The customer, lab or programme the account is kept for (accounts marked perCounterparty). */
  counterparty?: string | null;
  /** Signed fen: debit positive, credit negative. */
  amount: number;
  /** For receivable entries: the invoice they belong to. */
  invoiceId?: string | null;
}

export interface Journal {
  /** The organisation whose books these are. */
  book: string;
  kind: string;
  source: { kind: string; id: string | null };
  memo?: string;
  at: Date;
  entries: Posting[];
}

export class UnbalancedJournal extends Error {}

/**
 * Posts one balanced journal transaction inside the caller's transaction, so the entries commit
 * or roll back with the change that caused them. Zero lines are dropped; a journal of zeros posts
 * nothing. The database checks the balance again at commit (a deferred constraint trigger).
 */
export async function post(tx: Tx, j: Journal): Promise<string | null> {
  const entries = j.entries.filter((e) => e.amount !== 0);
  if (entries.length === 0) return null;
  const sum = entries.reduce((s, e) => s + e.amount, 0);
  if (sum !== 0 || entries.some((e) => !Number.isSafeInteger(e.amount))) {
    throw new UnbalancedJournal(`journal ${j.kind} for ${j.source.kind} ${j.source.id} sums to ${sum}`);
  }
  for (const e of entries) {
    const per = ACCOUNTS[e.code].perCounterparty;
    if (per !== (e.counterparty != null)) {
      throw new UnbalancedJournal(`account ${e.code} ${per ? 'needs' : 'takes no'} counterparty`);
    }
  }
  return repo.insertJournal(
    tx,
    {
      book: j.book,
      kind: j.kind,
      sourceKind: j.source.kind,
      sourceId: j.source.id,
      memo: j.memo ?? '',
      postedAt: j.at,
    },
    entries.map((e) => ({
      code: e.code,
      counterparty: e.counterparty ?? null,
      amount: e.amount,
      invoiceId: e.invoiceId ?? null,
    })),
  );
}
