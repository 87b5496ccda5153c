import { describe, expect, it } from 'vitest';
import { startInlineRunner } from '@qihub/api/jobs';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import type { Mailer } from '@qihub/api/lib/mailer';
import { notifyUsers } from '@qihub/api/lib/notify';
import { emailNotification } from '@qihub/api/modules/notifications/email';
import { bearer, expectProblem, login, TEST_EPOCH, testClock, useSeededApp } from '../support/app.ts';
import { USERS } from '../support/scenario.ts';

/** What the job handlers write reaches people through their own inbox, and no one else's. */
const t = useSeededApp();

describe('in-app inbox', () => {
  it('shows a new lab its welcome and the platform admin the application; read marks stick', async () => {
    const body17 = '12320500466000777';
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: {
        kind: 'lab',
        email: 'inbox.lab@example.cn',
        password: 'a-long-enough-password',
        displayName: '赵主任',
        organisation: {
          nameZh: '苏州收件箱检测所',
          creditCode: body17 + creditCodeCheckCharacter(body17),
          regionCode: '320500',
          labType: 'other',
        },
      },
    });
    const labToken = res.json<{ token: string }>().token;
    // Its sweeps on a test clock: on the real one, some day the demo data has real notices due.
    const clock = testClock();
    const runner = startInlineRunner(t.db.db, { intervalMs: 60_000, clock: () => clock.now });
    await runner.tick();
    await runner.stop();

    const mine = await t.app.inject({ method: 'GET', url: '/v1/notifications', headers: bearer(labToken) });
    const items = mine.json<{ items: { id: string; kind: string; readAt: string | null }[] }>().items;
    expect(items.map((n) => n.kind)).toEqual(['welcome']);

    const admin = await login(t.app, USERS.admin);
    const adminInbox = await t.app.inject({
      method: 'GET',
      url: '/v1/notifications?unread=true',
      headers: bearer(admin),
    });
    const note = adminInbox
      .json<{ items: { id: string; kind: string }[] }>()
      .items.find((n) => n.kind === 'lab_application');
    expect(note).toBeDefined();

    // Someone else's notification is not found; reading your own twice is harmless.
    expectProblem(
      await t.app.inject({ method: 'POST', url: `/v1/notifications/${note!.id}/read`, headers: bearer(labToken) }),
      404,
      'not_found',
    );
    const read = await t.app.inject({
      method: 'POST',
      url: `/v1/notifications/${note!.id}/read`,
      headers: bearer(admin),
    });
    expect(read.json<{ readAt: string | null }>().readAt).not.toBeNull();
    const again = await t.app.inject({
      method: 'POST',
      url: `/v1/notifications/${note!.id}/read`,
      headers: bearer(admin),
    });
    expect(again.json<{ readAt: string }>().readAt).toBe(read.json<{ readAt: string }>().readAt);
    const unread = await t.app.inject({ method: 'GET', url: '/v1/notifications?unread=true', headers: bearer(admin) });
    expect(unread.json<{ items: { id: string }[] }>().items.map((n) => n.id)).not.toContain(note!.id);
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/notifications' }), 401, 'unauthenticated');
  });
});

describe('unread count, read all and e-mail preferences', () => {
  /** Three notices for sme@ (an order, a booking and an invoice one) and one for sme2@, as the modules write them. */
  async function seedNotices(tag: string) {
    const ids = await t.db.pool.query<{ id: string; email: string }>(
      `SELECT id, email FROM users WHERE email = ANY($1)`,
      [[USERS.sme, USERS.sme2]],
    );
    const id = (email: string) => ids.rows.find((r) => r.email === email)!.id;
    const base = { titleZh: '通知', titleEn: 'Notice', bodyZh: '', bodyEn: '' };
    await notifyUsers(
      t.db.db,
      [id(USERS.sme)],
      { ...base, kind: 'order_quoted', link: '/orders' },
      `${tag}:o`,
      TEST_EPOCH,
    );
    await notifyUsers(
      t.db.db,
      [id(USERS.sme)],
      { ...base, kind: 'booking_reminder_24h', link: '/bookings' },
      `${tag}:b`,
      TEST_EPOCH,
    );
    await notifyUsers(
      t.db.db,
      [id(USERS.sme)],
      { ...base, kind: 'invoice_issued', link: '/invoices' },
      `${tag}:i`,
      TEST_EPOCH,
    );
    await notifyUsers(
      t.db.db,
      [id(USERS.sme2)],
      { ...base, kind: 'order_quoted', link: '/orders' },
      `${tag}:o2`,
      TEST_EPOCH,
    );
  }
  const count = async (token: string) =>
    (await t.app.inject({ method: 'GET', url: '/v1/notifications/unread-count', headers: bearer(token) })).json<{
      unread: number;
    }>().unread;

  it('counts the unread, marks all read for the caller only, and refuses the anonymous', async () => {
    const sme = await login(t.app, USERS.sme);
    const sme2 = await login(t.app, USERS.sme2);
    await t.app.inject({ method: 'POST', url: '/v1/notifications/read-all', headers: bearer(sme) });
    await t.app.inject({ method: 'POST', url: '/v1/notifications/read-all', headers: bearer(sme2) });
    await seedNotices('count');
    expect(await count(sme)).toBe(3);
    expect(await count(sme2)).toBe(1);

    // sme2 can neither read nor mark sme's notice.
    const list = await t.app.inject({ method: 'GET', url: '/v1/notifications?unread=true', headers: bearer(sme) });
    const smeNote = list.json<{ items: { id: string; kind: string }[] }>().items[0]!;
    expectProblem(
      await t.app.inject({ method: 'POST', url: `/v1/notifications/${smeNote.id}/read`, headers: bearer(sme2) }),
      404,
      'not_found',
    );
    const sme2List = await t.app.inject({ method: 'GET', url: '/v1/notifications', headers: bearer(sme2) });
    expect(sme2List.json<{ items: { id: string }[] }>().items.map((n) => n.id)).not.toContain(smeNote.id);

    const all = await t.app.inject({ method: 'POST', url: '/v1/notifications/read-all', headers: bearer(sme) });
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({ marked: 3, unread: 0 });
    expect(await count(sme)).toBe(0);
    expect(await count(sme2)).toBe(1); // someone else's inbox is untouched
    const again = await t.app.inject({ method: 'POST', url: '/v1/notifications/read-all', headers: bearer(sme) });
    expect(again.json()).toEqual({ marked: 0, unread: 0 });

    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/notifications/unread-count' }), 401, 'unauthenticated');
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/notifications/read-all' }), 401, 'unauthenticated');
  });

  it('keeps e-mail preferences per user, and the sender honours them', async () => {
    const sme = await login(t.app, USERS.sme);
    const sme2 = await login(t.app, USERS.sme2);
    const prefs = await t.app.inject({ method: 'GET', url: '/v1/me/notification-preferences', headers: bearer(sme) });
    expect(prefs.json()).toEqual({
      email: { bookings: true, orders: true, money: true, events: true, platform: true },
    });
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/me/notification-preferences',
      headers: bearer(sme),
      payload: { email: { bookings: false, orders: true, money: false, events: true, platform: true } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json<{ email: Record<string, boolean> }>().email.bookings).toBe(false);
    // Only the caller's own choices changed.
    const other = await t.app.inject({ method: 'GET', url: '/v1/me/notification-preferences', headers: bearer(sme2) });
    expect(other.json<{ email: Record<string, boolean> }>().email.bookings).toBe(true);
    // Bad input changes nothing.
    expectProblem(
      await t.app.inject({
        method: 'PUT',
        url: '/v1/me/notification-preferences',
        headers: bearer(sme),
        payload: { email: { bookings: 'yes' } },
      }),
      400,
      'validation_failed',
    );
    const kept = await t.app.inject({ method: 'GET', url: '/v1/me/notification-preferences', headers: bearer(sme) });
    expect(kept.json()).toEqual(put.json());

    await seedNotices('mail');
    const sent: string[] = [];
    // A mailer that only records (the SMTP path itself is email.test.ts's).
    const mailer: Mailer = {
      send: async (m) => {
        sent.push(m.to);
      },
      close: () => {},
    };
    const rows = await t.db.pool.query<{ id: string; kind: string; email: string }>(
      `SELECT n.id, n.kind, u.email FROM notifications n JOIN users u ON u.id = n.user_id
       WHERE n.dedupe_key LIKE 'mail:%' ORDER BY n.kind`,
    );
    const outcome: Record<string, boolean> = {};
    for (const r of rows.rows) {
      outcome[`${r.email}:${r.kind}`] = await emailNotification(t.db.db, mailer, r.id, 'http://web.test');
    }
    expect(outcome).toEqual({
      [`${USERS.sme}:booking_reminder_24h`]: false,
      [`${USERS.sme}:invoice_issued`]: false,
      [`${USERS.sme}:order_quoted`]: true,
      [`${USERS.sme2}:order_quoted`]: true,
    });
    expect(sent.sort()).toEqual([USERS.sme, USERS.sme2].sort());
  });
});
