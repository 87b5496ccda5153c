import type { Db } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import * as repo from './repository.ts';

export interface InboxDeps {
  db: Db;
  clock: () => Date;
}

function userOf(actor: Actor | null): string {
  const a = requireActor(actor);
  if (!a.userId) throw forbidden('The inbox belongs to people, not API tokens.');
  return a.userId;
}

const view = (n: repo.NotificationRow) => ({
  id: n.id,
  kind: n.kind,
  titleZh: n.titleZh,
  titleEn: n.titleEn,
  bodyZh: n.bodyZh,
  bodyEn: n.bodyEn,
  link: n.link,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

/** The caller's in-app inbox, newest first; `unread` keeps only what has not been read. */
export async function listInbox(
  deps: InboxDeps,
  actor: Actor | null,
  query: { unread?: boolean; limit?: number; cursor?: string },
) {
  const userId = userOf(actor);
  const limit = query.limit ?? 20;
  const after = query.cursor ? decodeCursor(query.cursor, 'inbox', 'timestamptz') : undefined;
  const afterDate = after ? new Date(String(after.key)) : undefined;
  const rows = await repo.findInbox(deps.db, userId, {
    unreadOnly: query.unread,
    after: after && afterDate ? { createdAt: afterDate, id: after.id } : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor('inbox', last.createdAt.toISOString(), last.id) : null,
  };
}

export async function markRead(deps: InboxDeps, actor: Actor | null, id: string) {
  const userId = userOf(actor);
  const row = await repo.markNotificationRead(deps.db, userId, id, deps.clock());
  if (row) return view(row);
  // Already read (idempotent) or not the caller's (not found).
  const existing = await repo.findNotificationOfUser(deps.db, userId, id);
  if (!existing) throw notFound('notification');
  return view(existing);
}
