import { beforeAll, describe, expect, it } from 'vitest';
import { expireQuotes } from '@qihub/api/modules/orders/jobs';
import { testClock, useSeededApp } from '../support/app.ts';
import {
  acceptQuote,
  aLab,
  aNoSampleService,
  anOrder,
  api,
  ok,
  receiveSamples,
  serviceId,
  signIn,
  type Detail,
} from '../factories/index.ts';

/**
 * The order timeline (order_events) and the audit rows it writes take their time from the app's
 * clock, as every other time of the step does (quotedAt, receivedAt …), never from the database's
 * now(): on the test clock (days away from the real date) each step's entries carry exactly the
 * clock's time, so the timeline agrees with the journey the customer and the lab see.
 */
const clock = testClock();
const t = useSeededApp({ clock });

let tk: { sme: string; lab: string };
let labId: string;
let saltSpray: string;
let noSample: string;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  noSample = await aNoSampleService(t.db, labId);
  tk = await signIn(t.app, ['sme', 'lab']);
});

interface EventRow {
  id: number;
  action: string;
  at: Date;
}

const seen = new Map<string, number>();

/** The order's timeline entries written since the last look. */
async function newEvents(orderId: string): Promise<EventRow[]> {
  const { rows } = await t.db.pool.query<EventRow>(
    'SELECT id::int AS id, action, at FROM order_events WHERE order_id = $1 AND id > $2 ORDER BY id',
    [orderId, seen.get(orderId) ?? 0],
  );
  if (rows.length > 0) seen.set(orderId, rows.at(-1)!.id);
  return rows;
}

/**
 * Runs one step with the clock at `iso` and asserts that every entry it added to the order's
 * timeline carries that time exactly (and that it added some); answers the step's result.
 */
async function stepAt<T>(iso: string, fn: () => Promise<T>, orderId?: string): Promise<T> {
  clock.now = new Date(iso);
  const result = await fn();
  const events = await newEvents(orderId ?? (result as Detail).order.id);
  expect(events.length, `no timeline entry at ${iso}`).toBeGreaterThan(0);
  const want = new Date(iso).toISOString();
  for (const e of events) expect({ action: e.action, at: e.at.toISOString() }).toEqual({ action: e.action, at: want });
  return result;
}

describe('the order timeline runs on the app clock', () => {
  it('stamps each step of an order with samples at the clock time: request, accept, receive, start, a message', async () => {
    let d!: Detail;
    const id = () => d.order.id;
    d = await stepAt('2026-11-26T02:00:00Z', () =>
      anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(saltSpray, 24).requested(),
    );
    d = await stepAt('2026-11-26T03:15:00Z', () => acceptQuote(t, tk.sme, d, { deadlineTierDays: 5 }));
    d = await stepAt('2026-11-27T01:30:00Z', () => receiveSamples(t, tk.lab, d, { quantity: 3 }));
    d = await stepAt('2026-11-27T02:45:00Z', async () => ok(await call(tk.lab, 'POST', `/v1/orders/${id()}/start`)));
    await stepAt(
      '2026-11-27T05:00:00Z',
      async () =>
        ok(await call(tk.sme, 'POST', `/v1/orders/${id()}/messages`, { body: '样品 48 小时节点请拍照。' }), 201),
      id(),
    );

    // The customer reads the same times in the order's timeline.
    const view = ok(await call(tk.sme, 'GET', `/v1/orders/${id()}`));
    const times = view.timeline.map((e) => (e as unknown as { at: string }).at);
    expect(times).toContain('2026-11-26T02:00:00.000Z');
    expect(times).toContain('2026-11-27T02:45:00.000Z');
    // The audit rows the steps wrote for the order agree with the timeline.
    const { rows } = await t.db.pool.query<{ n: number; off: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE NOT EXISTS (
                SELECT 1 FROM order_events e WHERE e.order_id = $1::uuid AND e.action = a.action AND e.at = a.at))::int AS off
         FROM audit_log a WHERE a.entity_type = 'order' AND a.entity_id = $1::text`,
      [id()],
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(rows[0]!.off).toBe(0);
  });

  it('stamps delivery and an objection of an order without samples at the clock time', async () => {
    let d!: Detail;
    const id = () => d.order.id;
    d = await stepAt('2026-11-26T06:00:00Z', () =>
      anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(noSample).requested(),
    );
    d = await stepAt('2026-11-26T07:00:00Z', () => acceptQuote(t, tk.sme, d));
    d = await stepAt('2026-11-30T03:00:00Z', async () => ok(await call(tk.lab, 'POST', `/v1/orders/${id()}/deliver`)));
    d = await stepAt('2026-12-01T02:00:00Z', async () =>
      ok(
        await call(tk.sme, 'POST', `/v1/orders/${id()}/objections`, { reason: '结论与我方自检结果不一致，请复核。' }),
        201,
      ),
    );
    expect(d.order.status).toBe('report_issued');
  });

  it('stamps a sweep (quote expiry) with the time the sweep is run for', async () => {
    const d: Detail = await stepAt('2026-11-26T02:00:00Z', () =>
      anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(saltSpray, 24).requested(),
    );
    expect(d.order.quoteValidUntil).toBeTruthy();
    const after = new Date(`${d.order.quoteValidUntil}T16:30:00Z`).toISOString(); // 00:30 the next day in China
    await stepAt(after, () => expireQuotes(t.db.db, new Date(after)), d.order.id);
  });
});
