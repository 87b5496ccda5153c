import { describe, expect, it } from 'vitest';
import { startInlineRunner } from '@qihub/api/jobs';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import { bearer, expectProblem, login, useSeededApp } from '../support/app.ts';
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
    const runner = startInlineRunner(t.db.db, { intervalMs: 60_000 });
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
