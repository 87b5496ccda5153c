import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * Ratings: the customer rates a closed order once, the lab's managers and staff reply once, everyone
 * with access to the order reads it, and the lab's public page shows the average and masked names.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

type Who = 'sme' | 'sme2' | 'lab' | 'operator' | 'lab2' | 'officer' | 'admin';
const tok = {} as Record<Who, string>;
const uid = {} as Record<Who, string>;
let labId: string;
let customerId: string;

interface Rating {
  orderId: string;
  score: number;
  comment: string;
  ratedBy: { id: string; name: string };
  reply: string | null;
  repliedBy: { id: string; name: string } | null;
  repliedAt: string | null;
}
interface OrderRating {
  rating: Rating | null;
  canRate: boolean;
  canReply: boolean;
}
interface LabRatings {
  labId: string;
  average: number | null;
  count: number;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  items: { score: number; comment: string; customer: string; reply: string | null }[];
}

async function insertOrder(status: string, customer = customerId): Promise<string> {
  const id = randomUUID();
  await t.db.pool.query(
    `INSERT INTO orders (id, number, customer_org_id, lab_id, requested_by, status, title_zh, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6::order_status, '拉伸试验（汽车门铰链）', CASE WHEN $6::text = 'closed' THEN now() END)`,
    [id, `QT${randomBytes(5).toString('hex').toUpperCase()}`, customer, labId, uid.sme, status],
  );
  return id;
}

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  customerId = await orgOf(t.db, USERS.sme);
  for (const k of Object.keys(USERS) as Who[]) {
    tok[k] = await login(t.app, USERS[k]);
    const { rows } = await t.db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [USERS[k]]);
    uid[k] = rows[0]!.id;
  }
  const officerOrg = await orgOf(t.db, USERS.officer);
  await t.db.pool.query(
    `INSERT INTO enterprise_officers (enterprise_id, platform_org_id, officer_user_id) VALUES ($1, $2, $3)
     ON CONFLICT (enterprise_id) DO UPDATE SET officer_user_id = EXCLUDED.officer_user_id,
       platform_org_id = EXCLUDED.platform_org_id`,
    [customerId, officerOrg, uid.officer],
  );
});

const get = (url: string, who: Who | null) =>
  t.app.inject({ method: 'GET', url, ...(who ? { headers: bearer(tok[who]) } : {}) });
const post = (url: string, who: Who | null, payload: object) =>
  t.app.inject({ method: 'POST', url, payload, ...(who ? { headers: bearer(tok[who]) } : {}) });

describe('rating an order', () => {
  it('the customer rates a closed order once; the lab is notified; the lab replies once', async () => {
    const orderId = await insertOrder('closed');
    const before = (await get(`/v1/labs/${labId}/ratings`, null)).json<LabRatings>();

    const view = (await get(`/v1/orders/${orderId}/rating`, 'sme')).json<OrderRating>();
    expect(view).toEqual({ rating: null, canRate: true, canReply: false });

    const rated = await post(`/v1/orders/${orderId}/rating`, 'sme', {
      score: 4,
      comment: '  报告出具及时，沟通顺畅；样品寄回稍慢。 ',
    });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json<Rating>()).toMatchObject({
      orderId,
      score: 4,
      comment: '报告出具及时，沟通顺畅；样品寄回稍慢。',
      ratedBy: { id: uid.sme },
      reply: null,
    });
    expectProblem(await post(`/v1/orders/${orderId}/rating`, 'sme', { score: 5 }), 409, 'already_rated');

    const { rows: notes } = await t.db.pool.query<{
      user_id: string;
      link: string;
      title_zh: string;
      title_en: string;
    }>(`SELECT user_id, link, title_zh, title_en FROM notifications WHERE dedupe_key LIKE $1`, [
      `order-rated:${orderId}:%`,
    ]);
    expect(notes.map((n) => n.user_id)).toContain(uid.lab);
    expect(notes.map((n) => n.user_id)).not.toContain(uid.operator);
    expect(notes[0]).toMatchObject({ link: `/console/orders/${orderId}` });
    expect(notes[0]!.title_zh).toContain('★★★★☆');
    expect(notes[0]!.title_en).toContain('4/5');

    const asLab = (await get(`/v1/orders/${orderId}/rating`, 'lab')).json<OrderRating>();
    expect(asLab).toMatchObject({ canRate: false, canReply: true, rating: { score: 4 } });
    expectProblem(await post(`/v1/orders/${orderId}/rating/reply`, 'operator', { reply: '谢谢' }), 403, 'forbidden');
    expectProblem(await post(`/v1/orders/${orderId}/rating/reply`, 'sme', { reply: '谢谢' }), 403, 'forbidden');
    const replied = await post(`/v1/orders/${orderId}/rating/reply`, 'lab', {
      reply: '感谢评价，样品寄回已改为顺丰次日达。',
    });
    expect(replied.statusCode, replied.body).toBe(200);
    expect(replied.json<Rating>()).toMatchObject({
      reply: '感谢评价，样品寄回已改为顺丰次日达。',
      repliedBy: { id: uid.lab },
    });
    expectProblem(
      await post(`/v1/orders/${orderId}/rating/reply`, 'lab', { reply: '补充一句' }),
      409,
      'already_replied',
    );
    const { rows: toCustomer } = await t.db.pool.query<{ user_id: string; link: string }>(
      `SELECT user_id, link FROM notifications WHERE dedupe_key LIKE $1`,
      [`rating-reply:${orderId}:%`],
    );
    expect(toCustomer).toEqual([{ user_id: uid.sme, link: `/orders/${orderId}` }]);

    const { rows: events } = await t.db.pool.query<{ action: string }>(
      'SELECT action FROM order_events WHERE order_id = $1 ORDER BY id',
      [orderId],
    );
    expect(events.map((e) => e.action)).toEqual(['order.rated', 'rating.replied']);

    const after = (await get(`/v1/labs/${labId}/ratings`, null)).json<LabRatings>();
    expect(after.count).toBe(before.count + 1);
    expect(after.distribution['4']).toBe(before.distribution['4'] + 1);
    const mine = after.items.find((i) => i.comment === '报告出具及时，沟通顺畅；样品寄回稍慢。')!;
    expect(mine).toMatchObject({
      score: 4,
      customer: '苏州****有限公司',
      reply: '感谢评价，样品寄回已改为顺丰次日达。',
    });
  });

  it('refuses orders that are not closed, bad scores, and the wrong side', async () => {
    for (const status of ['requested', 'in_progress', 'report_issued', 'cancelled']) {
      const id = await insertOrder(status);
      expectProblem(await post(`/v1/orders/${id}/rating`, 'sme', { score: 5 }), 409, 'order_not_closed');
      expect((await get(`/v1/orders/${id}/rating`, 'sme')).json<OrderRating>().canRate).toBe(false);
    }
    const id = await insertOrder('closed');
    for (const score of [0, 6, 3.5, '5']) {
      expectProblem(await post(`/v1/orders/${id}/rating`, 'sme', { score }), 400, 'validation_failed');
    }
    expectProblem(
      await post(`/v1/orders/${id}/rating`, 'sme', { score: 5, comment: '好'.repeat(2001) }),
      400,
      'validation_failed',
    );
    for (const who of ['lab', 'operator', 'officer', 'admin'] as const) {
      expectProblem(await post(`/v1/orders/${id}/rating`, who, { score: 1 }), 403, 'forbidden');
    }
    for (const who of ['sme2', 'lab2'] as const) {
      expectProblem(await post(`/v1/orders/${id}/rating`, who, { score: 1 }), 404, 'not_found');
    }
    expectProblem(await post(`/v1/orders/${id}/rating`, null, { score: 1 }), 401, 'unauthenticated');
    // Nothing to reply to yet.
    expectProblem(await post(`/v1/orders/${id}/rating/reply`, 'lab', { reply: '谢谢' }), 404, 'not_found');
    const { rows } = await t.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM order_ratings WHERE order_id = $1',
      [id],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('access to a rating: parties, officer and admin read it; strangers get 404', async () => {
    const id = await insertOrder('closed');
    expect((await post(`/v1/orders/${id}/rating`, 'sme', { score: 2, comment: '周期偏长' })).statusCode).toBe(201);
    for (const who of ['sme', 'lab', 'operator', 'officer', 'admin'] as const) {
      const res = await get(`/v1/orders/${id}/rating`, who);
      expect(res.statusCode, who).toBe(200);
      expect(res.json<OrderRating>().rating?.score).toBe(2);
      expect(res.json<OrderRating>().canReply, who).toBe(who === 'lab');
    }
    for (const who of ['sme2', 'lab2'] as const)
      expectProblem(await get(`/v1/orders/${id}/rating`, who), 404, 'not_found');
    expectProblem(await get(`/v1/orders/${id}/rating`, null), 401, 'unauthenticated');
    for (const who of ['sme2', 'lab2'] as const) {
      expectProblem(await post(`/v1/orders/${id}/rating/reply`, who, { reply: 'x' }), 404, 'not_found');
    }
    for (const who of ['officer', 'admin'] as const) {
      expectProblem(await post(`/v1/orders/${id}/rating/reply`, who, { reply: 'x' }), 403, 'forbidden');
    }
    expectProblem(await post(`/v1/orders/${id}/rating/reply`, 'lab', { reply: '  ' }), 400, 'validation_failed');
  });

  it('two racing ratings: exactly one is taken', async () => {
    const id = await insertOrder('closed');
    const results = await Promise.all([5, 1].map((score) => post(`/v1/orders/${id}/rating`, 'sme', { score })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });
});

describe("a lab's public ratings", () => {
  it('shows average, count and masked customers to anyone, without names of people', async () => {
    const other = await orgOf(t.db, USERS.sme2);
    const id = await insertOrder('closed', other);
    // sme2's enterprise rates through a direct insert (its owner is the customer of this order).
    await t.db.pool.query(
      `INSERT INTO order_ratings (order_id, lab_id, score, comment, rated_by, rated_at)
       VALUES ($1, $2, 5, '数据详实', $3, now() + interval '1 hour')`,
      [id, labId, uid.sme2],
    );
    const res = await get(`/v1/labs/${labId}/ratings?limit=50`, null);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<LabRatings>();
    expect(body.count).toBe(Object.values(body.distribution).reduce((a, b) => a + b, 0));
    const sum = Object.entries(body.distribution).reduce((a, [s, n]) => a + Number(s) * n, 0);
    expect(body.average).toBe(Math.round((sum / body.count) * 10) / 10);
    expect(body.items[0]).toMatchObject({ score: 5, comment: '数据详实', customer: '无锡****有限公司' });
    const text = res.body;
    expect(text).not.toContain('恒锐');
    expect(text).not.toContain('澄锐');
    expect(text).not.toContain(USERS.sme);
    expect(text).not.toContain(uid.sme);
    expectProblem(await get(`/v1/labs/${labId}/ratings?limit=0`, null), 400, 'validation_failed');
  });

  it('a lab with no ratings has no average; an unknown lab or an enterprise id is 404', async () => {
    const lab2 = await orgOf(t.db, USERS.lab2);
    const body = (await get(`/v1/labs/${lab2}/ratings`, null)).json<LabRatings>();
    expect(body).toMatchObject({ labId: lab2, average: null, count: 0, items: [] });
    expectProblem(await get(`/v1/labs/${randomUUID()}/ratings`, null), 404, 'not_found');
    expectProblem(await get(`/v1/labs/${customerId}/ratings`, null), 404, 'not_found');
  });
});

describe("the lab's own list of its ratings", () => {
  interface Row {
    orderId: string;
    orderNumber: string;
    customer: { id: string; nameZh: string };
    score: number;
    reply: string | null;
  }
  interface Page {
    items: Row[];
    nextCursor: string | null;
    counts: { all: number; unanswered: number };
  }
  const rate = async (orderId: string, score: number, hoursFromNow: number) =>
    t.db.pool.query(
      `INSERT INTO order_ratings (order_id, lab_id, score, comment, rated_by, rated_at)
       VALUES ($1, $2, $3, '出报告慢了一天', $4, now() + make_interval(hours => $5))`,
      [orderId, labId, score, uid.sme, hoursFromNow],
    );

  it('names every order and customer, finds the unanswered ones, and drops a rating once answered', async () => {
    const a = await insertOrder('closed');
    const b = await insertOrder('closed');
    await rate(a, 2, 5);
    await rate(b, 4, 6);
    const res = await get(`/v1/labs/${labId}/order-ratings?unanswered=true&limit=50`, 'lab');
    expect(res.statusCode, res.body).toBe(200);
    const before = res.json<Page>();
    expect(before.items.slice(0, 2).map((r) => r.orderId)).toEqual([b, a]);
    expect(before.items[0]).toMatchObject({ score: 4, reply: null, customer: { id: customerId } });
    expect(before.items[0]!.orderNumber).toMatch(/^QT/);
    expect(before.items.every((r) => r.reply === null)).toBe(true);
    expect(before.counts.unanswered).toBe(before.items.length);

    expect((await post(`/v1/orders/${a}/rating/reply`, 'operator', { reply: '已改进' })).statusCode).toBe(403);
    expect((await post(`/v1/orders/${a}/rating/reply`, 'lab', { reply: '感谢反馈，已调整排期。' })).statusCode).toBe(
      200,
    );
    const after = (await get(`/v1/labs/${labId}/order-ratings?unanswered=true&limit=50`, 'lab')).json<Page>();
    expect(after.items.map((r) => r.orderId)).not.toContain(a);
    expect(after.counts).toEqual({ all: before.counts.all, unanswered: before.counts.unanswered - 1 });
    const all = (await get(`/v1/labs/${labId}/order-ratings?limit=50`, 'operator')).json<Page>();
    expect(all.items.find((r) => r.orderId === a)?.reply).toBe('感谢反馈，已调整排期。');
  });

  it('pages newest first without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let total = 0;
    do {
      const page: Page = (
        await get(`/v1/labs/${labId}/order-ratings?limit=1${cursor ? `&cursor=${cursor}` : ''}`, 'lab')
      ).json<Page>();
      seen.push(...page.items.map((r) => r.orderId));
      cursor = page.nextCursor;
      total = page.counts.all;
    } while (cursor);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expectProblem(await get(`/v1/labs/${labId}/order-ratings?cursor=bm9wZQ`, 'lab'), 400, 'invalid_cursor');
  });

  it('is for members of the lab only', async () => {
    expectProblem(await get(`/v1/labs/${labId}/order-ratings`, null), 401, 'unauthenticated');
    for (const who of ['sme', 'lab2', 'officer', 'admin'] as const) {
      expectProblem(await get(`/v1/labs/${labId}/order-ratings`, who), 403, 'forbidden');
    }
    expectProblem(await get(`/v1/labs/${labId}/order-ratings?limit=0`, 'lab'), 400, 'validation_failed');
  });
});
