import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Booking, Db } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { hashSecret } from '../auth/index.ts';
import { findBooking } from '../bookings/index.ts';
import { canSee } from '../bookings/index.ts';
import { buildCalendar, type IcsEvent, type IcsStatus } from './ics.ts';
import * as repo from './repository.ts';

export interface CalendarDeps {
  db: Db;
  clock: () => Date;
  /** PUBLIC_WEB_URL: where an event's link opens the booking. */
  webUrl: string;
  /** PUBLIC_API_URL: where calendar apps fetch the secret feed. */
  apiUrl: string;
}

/** Feeds show what is coming and what happened in the last 90 days. */
const FEED_PAST_DAYS = 90;

/** The words are the booking pages' own (web/messages/bookings: myBookings.status): one word per state. */
export const CALENDAR_STATUS: Record<Booking['status'], { ics: IcsStatus; zh: string }> = {
  held: { ics: 'TENTATIVE', zh: '待确认' },
  pending_approval: { ics: 'TENTATIVE', zh: '待审核' },
  confirmed: { ics: 'CONFIRMED', zh: '已确认' },
  in_use: { ics: 'CONFIRMED', zh: '使用中' },
  completed: { ics: 'CONFIRMED', zh: '已完成' },
  cancelled: { ics: 'CANCELLED', zh: '已取消' },
  rejected: { ics: 'CANCELLED', zh: '已驳回' },
  expired: { ics: 'CANCELLED', zh: '已过期' },
  no_show: { ics: 'CANCELLED', zh: '爽约' },
};

function toEvent(deps: CalendarDeps, b: repo.BookingForCalendar, stamp: Date): IcsEvent {
  const link = `${deps.webUrl.replace(/\/+$/, '')}/bookings/${b.id}`;
  const local = (at: Date) => DateTime.fromJSDate(at, { zone: b.timeZone });
  const start = local(b.startsAt);
  const status = CALENDAR_STATUS[b.status];
  return {
    uid: `${b.id}@qihub`,
    stamp,
    start: b.startsAt,
    end: b.endsAt,
    summary: `仪器预约：${b.instrumentZh}`,
    location: [b.addressZh, `${b.labZh} ${b.siteZh}`.trim()].filter(Boolean).join('，'),
    description: [
      `状态 Status：${status.zh} ${b.status}`,
      `仪器 Instrument：${b.instrumentZh}${b.instrumentEn ? ` / ${b.instrumentEn}` : ''}`,
      `当地时间 Local time：${start.toFormat('yyyy-MM-dd HH:mm')}–${local(b.endsAt).toFormat('HH:mm')} (${b.timeZone})`,
      `详情 Details：${link}`,
    ].join('\n'),
    status: status.ics,
    sequence: b.revisions,
    url: link,
    lastModified: b.updatedAt,
  };
}

/** One booking as an .ics file; only its customer's and its lab's members see it (others: 404). */
export async function bookingIcs(deps: CalendarDeps, actor: Actor | null, id: string): Promise<string> {
  const a = requireActor(actor);
  const booking = await findBooking(deps.db, id);
  if (!booking || !canSee(a, booking)) throw notFound('booking');
  const b = await repo.bookingForCalendar(deps.db, id);
  if (!b) throw notFound('booking');
  return buildCalendar({ events: [toEvent(deps, b, deps.clock())] });
}

function personOf(actor: Actor | null): string {
  const a = requireActor(actor);
  if (!a.userId) throw forbidden('Calendar feeds belong to people, not API tokens.');
  return a.userId;
}

const feedUrl = (deps: CalendarDeps, token: string) => `${deps.apiUrl}/v1/calendar/feeds/${token}.ics`;

export interface FeedState {
  active: boolean;
  createdAt: string | null;
}

const OFF: FeedState = { active: false, createdAt: null };

/** Whether the caller has a feed on, and since when; its URL was shown once, when it was made. */
export async function getFeed(deps: CalendarDeps, actor: Actor | null): Promise<FeedState> {
  const feed = await repo.feedOf(deps.db, personOf(actor));
  return feed ? { active: true, createdAt: feed.createdAt.toISOString() } : OFF;
}

/**
 * Creates the caller's secret feed URL, or replaces it: the old URL stops working at once. Only the
 * secret's SHA-256 is kept (like sessions and API tokens), so this answer is the one time the URL
 * is shown.
 */
export async function rotateFeed(
  deps: CalendarDeps,
  actor: Actor | null,
): Promise<{ url: string; active: true; createdAt: string }> {
  const userId = personOf(actor);
  // 32 random bytes: the URL is the only secret guarding the feed.
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    const had = await repo.feedOf(tx, userId);
    await repo.saveFeedToken(tx, userId, hashSecret(token), now);
    await recordAudit(tx, actor, {
      at: now,
      action: had ? 'calendar_feed.rotated' : 'calendar_feed.created',
      entityType: 'calendar_feed',
      entityId: userId,
      orgId: null,
    });
  });
  return { url: feedUrl(deps, token), active: true, createdAt: now.toISOString() };
}

/** Turns the caller's feed off: its URL answers 404 from now on. Turning off no feed changes nothing. */
export async function revokeFeed(deps: CalendarDeps, actor: Actor | null): Promise<FeedState> {
  const userId = personOf(actor);
  await deps.db.transaction(async (tx) => {
    if (!(await repo.deleteFeed(tx, userId))) return;
    await recordAudit(tx, actor, {
      at: deps.clock(),
      action: 'calendar_feed.revoked',
      entityType: 'calendar_feed',
      entityId: userId,
      orgId: null,
    });
  });
  return OFF;
}

/** The feed behind a secret URL: the owner's bookings as VEVENTs; unknown tokens are 404. */
export async function feedIcs(deps: CalendarDeps, token: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound('calendar feed');
  const owner = await repo.feedOwner(deps.db, hashSecret(token));
  if (!owner) throw notFound('calendar feed');
  const now = deps.clock();
  const since = new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000);
  const bookings = await repo.bookingsForFeed(deps.db, owner.user_id, since);
  return buildCalendar({
    name: `QIHub 仪器预约 · ${owner.display_name}`,
    events: bookings.map((b) => toEvent(deps, b, now)),
  });
}
