import { beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers } from '@qihub/api/jobs';
import { bearer, login, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * The wider catalogue on the demo seed as shipped: the demo accounts find their officer, requests,
 * calibration ledger and events, so a clean clone shows something real in every QI page.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

type Who = 'sme' | 'officer' | 'admin';
const tok = {} as Record<Who, string>;
let smeOrg: string;

beforeAll(async () => {
  smeOrg = await orgOf(t.db, USERS.sme);
  for (const k of ['sme', 'officer', 'admin'] as const) tok[k] = await login(t.app, USERS[k]);
});

const get = async <T>(url: string, who: Who) => {
  const res = await t.app.inject({ method: 'GET', url, headers: bearer(tok[who]) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
};

describe('the demo seed through the QI endpoints', () => {
  it('sme@ sees officer@ as its service officer; officer@ sees the enterprise, its orders and its assistance request', async () => {
    const mine = await get<{ officer: { name: string; email: string } | null }>(
      `/v1/enterprises/${smeOrg}/officer`,
      'sme',
    );
    expect(mine.officer).toMatchObject({ email: USERS.officer });
    const enterprises = await get<{ items: { id: string; openOrders: number }[] }>(
      '/v1/officer/enterprises',
      'officer',
    );
    expect(enterprises.items.map((e) => e.id)).toContain(smeOrg);
    const requests = await get<{ items: { kind: string; enterprise: { id: string } }[] }>(
      '/v1/officer/requests',
      'officer',
    );
    expect(requests.items.some((r) => r.kind === 'order')).toBe(true);
    expect(requests.items.some((r) => r.kind === 'assistance')).toBe(true);
    expect(requests.items.every((r) => r.enterprise.id === smeOrg)).toBe(true);
    const assistance = await get<{ items: { status: string; visits: unknown[]; officer: unknown }[] }>(
      '/v1/assistance-requests',
      'sme',
    );
    expect(assistance.items.length).toBeGreaterThan(0);
    expect(assistance.items[0]!.visits.length).toBeGreaterThan(0);
  });

  it('sme@ has a calibration ledger with instruments falling due, and the recall sweep reminds it', async () => {
    const ledger = await get<{ items: { status: string; daysLeft: number }[] }>('/v1/me/calibration-records', 'sme');
    expect(ledger.items.length).toBeGreaterThanOrEqual(3);
    expect(ledger.items.some((r) => r.status === 'due_soon')).toBe(true);
    const handler = createJobHandlers({ db: t.db.db, dispatch: async () => {}, clock: () => clock.now }).find(
      (h) => h.name === 'calibration.recall-reminders',
    )!;
    await handler.handle({}, { jobId: 'demo' });
    const { rows } = await t.db.pool.query(
      `SELECT 1 FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.kind = 'calibration_recall'`,
      [USERS.sme],
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it('the public events calendar lists the seeded events, and sme@ can register', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/events' });
    const list = res.json<{ items: { id: string; kind: string; sessions: { id: string; seatsLeft: number }[] }[] }>();
    expect(list.items.length).toBeGreaterThanOrEqual(2);
    const openDay = list.items.find((e) => e.kind === 'open_day')!;
    const reg = await t.app.inject({
      method: 'POST',
      url: `/v1/event-sessions/${openDay.sessions[0]!.id}/registrations`,
      headers: bearer(tok.sme),
    });
    expect(reg.statusCode, reg.body).toBe(201);
    expect(reg.json<{ status: string }>().status).toBe('registered');
  });
});
