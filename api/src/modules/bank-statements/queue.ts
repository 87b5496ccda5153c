import type { BankLineStatus } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor, invalidCursor } from '../../lib/cursor.ts';
import { assertLabFinance, type BookKind } from './access.ts';
import * as repo from './repository/lines.ts';
import type { BankDeps } from './upload.ts';
import { lineViews } from './view.ts';

export interface LineQuery {
  status?: BankLineStatus;
  limit?: number;
  cursor?: string;
}

/** The lab's statement lines; by default the queue a person works (unmatched and suggested), oldest first. */
export async function listBankLines(
  deps: BankDeps,
  actor: Actor | null,
  labId: string,
  q: LineQuery,
  kind: BookKind = 'lab',
) {
  assertLabFinance(actor, labId, kind);
  const statuses: BankLineStatus[] = q.status ? [q.status] : ['unmatched', 'suggested'];
  const sort = `bank-lines:${statuses.join(',')}`;
  const limit = q.limit ?? 20;
  let after: { txnDate: string; id: string } | undefined;
  if (q.cursor) {
    const c = decodeCursor(q.cursor, sort, 'text');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(String(c.key))) throw invalidCursor();
    after = { txnDate: String(c.key), id: c.id };
  }
  const rows = await repo.listLines(deps.db, { labId, statuses, after, limit: limit + 1 });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: await lineViews(deps.db, items),
    nextCursor: rows.length > limit && last ? encodeCursor(sort, last.txnDate, last.id) : null,
  };
}
