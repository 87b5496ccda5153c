import type { FapiaoRequestStatus } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { assertFapiaoDesk, customerOrgsOf } from './access.ts';
import * as repo from './repository.ts';
import type { FapiaoDeps } from './title.ts';
import { requestViews } from './view.ts';

export interface RequestListQuery {
  limit?: number;
  cursor?: string;
  status?: FapiaoRequestStatus;
  invoiceId?: string;
}

const SORT = 'fapiao-requests';

async function page(deps: FapiaoDeps, q: RequestListQuery, filter: Omit<repo.RequestFilter, 'limit' | 'after'>) {
  const limit = q.limit ?? 20;
  const after = q.cursor ? decodeCursor(q.cursor, SORT, 'timestamptz') : undefined;
  const rows = await repo.listRequests(deps.db, {
    ...filter,
    status: q.status,
    after: after ? { requestedAt: new Date(String(after.key)), id: after.id } : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: await requestViews(deps.db, items),
    nextCursor:
      rows.length > limit && last ? encodeCursor(SORT, last.request.requestedAt.toISOString(), last.request.id) : null,
  };
}

/** The lab's fapiao desk: its requests, newest first. */
export async function listLabRequests(deps: FapiaoDeps, actor: Actor | null, labId: string, q: RequestListQuery) {
  assertFapiaoDesk(actor, labId);
  return page(deps, q, { labId });
}

/** The customer's side: the requests of every organisation the caller belongs to, newest first. */
export async function listCustomerRequests(deps: FapiaoDeps, actor: Actor | null, q: RequestListQuery) {
  const a = requireActor(actor);
  return page(deps, q, { customerOrgs: customerOrgsOf(a), invoiceId: q.invoiceId });
}
