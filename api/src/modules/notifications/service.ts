import type { Db } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { NOTICE_CATEGORIES, type NoticeCategory } from './categories.ts';
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

/** How many of the caller's notices are unread (the bell in the header). */
export async function unreadCount(deps: InboxDeps, actor: Actor | null) {
  return { unread: await repo.countUnread(deps.db, userOf(actor)) };
}

/** Marks every unread notice of the caller read; repeating it changes nothing. */
export async function markAllRead(deps: InboxDeps, actor: Actor | null) {
  const userId = userOf(actor);
  const marked = await repo.markAllNotificationsRead(deps.db, userId, deps.clock());
  return { marked, unread: await repo.countUnread(deps.db, userId) };
}

export type EmailChoices = Record<NoticeCategory, boolean>;

const choicesOf = (emailOff: readonly string[]): EmailChoices =>
  Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, !emailOff.includes(c)])) as EmailChoices;

/** Which categories of notice also reach the caller by e-mail (all, until they choose). */
export async function emailPreferences(deps: InboxDeps, actor: Actor | null) {
  return { email: choicesOf(await repo.findEmailOff(deps.db, userOf(actor))) };
}

export async function setEmailPreferences(deps: InboxDeps, actor: Actor | null, input: { email: EmailChoices }) {
  const userId = userOf(actor);
  const off = NOTICE_CATEGORIES.filter((c) => input.email[c] === false);
  await repo.saveEmailOff(deps.db, userId, off, deps.clock());
  return { email: choicesOf(off) };
}
