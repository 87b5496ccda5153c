import { beforeAll, describe, expect, it } from 'vitest';
import { expireHolds } from '@qihub/api/modules/bookings/repository';
import { testClock, useSeededApp } from '../support/app.ts';
import {
  aLab,
  anInstrument,
  anOrder,
  bookingDesk,
  serviceId,
  signIn,
  userIdOf,
  USERS,
  type Lab,
} from '../factories/index.ts';

/**
 * The audit trail, the inbox and new bookings are stamped by the app clock (the clock the tests
 * move), never by the database's now(): with the clock at an instant far from the real date (and
 * with odd seconds and milliseconds), each row carries that instant to the millisecond. Before,
 * audit_log.at, notifications.created_at and bookings.created_at took the column default now().
 */
const clock = testClock();
const t = useSeededApp({ clock });

let tk: { sme: string; lab: string };
let lab: Lab;
let instrumentId: string;
let saltSpray: string;

beforeAll(async () => {
  lab = await aLab(t)
    .withDefaultOrderTerms()
    .withInstrument(anInstrument().open('09:00-17:00'))
    .allowingManyHolds()
    .create();
  instrumentId = lab.instruments[0]!.id;
  saltSpray = await serviceId(t.db, lab.id, '中性盐雾试验');
  tk = await signIn(t.app, ['sme', 'lab']);
});

/** Monday 30 November 2026 (Beijing; more than a day ahead, the lead time), one hour from `hour` o'clock, in UTC. */
const monday = (hour: number) => ({
  start: `2026-11-30T${String(hour - 8).padStart(2, '0')}:00:00Z`,
  end: `2026-11-30T${String(hour - 7).padStart(2, '0')}:00:00Z`,
});

async function auditAt(entityId: string, action: string): Promise<string[]> {
  const { rows } = await t.db.pool.query<{ at: Date }>(
    'SELECT at FROM audit_log WHERE entity_id = $1 AND action = $2 ORDER BY id',
    [entityId, action],
  );
  return rows.map((r) => r.at.toISOString());
}

async function bookingStamps(id: string) {
  const { rows } = await t.db.pool.query<{ created_at: Date; updated_at: Date }>(
    'SELECT created_at, updated_at FROM bookings WHERE id = $1',
    [id],
  );
  return { createdAt: rows[0]!.created_at.toISOString(), updatedAt: rows[0]!.updated_at.toISOString() };
}

describe('rows are stamped by the app clock', () => {
  it('a hold in one statement (no Idempotency-Key): the booking and its audit entry carry the clock time', async () => {
    const at = '2026-11-26T02:17:31.250Z';
    clock.now = new Date(at);
    const desk = bookingDesk(t, () => tk.lab);
    const { start, end } = monday(9);
    const b = await desk.booked(tk.sme, instrumentId, start, end);
    expect(await bookingStamps(b.id)).toEqual({ createdAt: at, updatedAt: at });
    expect(await auditAt(b.id, 'booking.held')).toEqual([at]);

    const confirmedAt = '2026-11-26T02:20:45.678Z';
    clock.now = new Date(confirmedAt);
    await desk.acted(tk.sme, b.id, 'confirm');
    expect(await auditAt(b.id, 'booking.confirm')).toEqual([confirmedAt]);
  });

  it('a hold in a transaction (with an Idempotency-Key): the booking and its audit entry carry the clock time', async () => {
    const at = '2026-11-26T04:05:06.789Z';
    clock.now = new Date(at);
    const desk = bookingDesk(t, () => tk.lab);
    const { start, end } = monday(11);
    const b = await desk.booked(tk.sme, instrumentId, start, end, {
      headers: { 'idempotency-key': 'app-clock-stamps-hold' },
    });
    expect(await bookingStamps(b.id)).toEqual({ createdAt: at, updatedAt: at });
    expect(await auditAt(b.id, 'booking.held')).toEqual([at]);
  });

  it('the expiry sweep audits each expired hold at the clock time', async () => {
    clock.now = new Date('2026-11-26T05:00:00.000Z');
    const desk = bookingDesk(t, () => tk.lab);
    const { start, end } = monday(14);
    const b = await desk.booked(tk.sme, instrumentId, start, end);
    const sweptAt = '2026-11-26T07:08:09.012Z';
    expect(await expireHolds(t.db.db, new Date(sweptAt))).toContain(b.id);
    expect(await auditAt(b.id, 'booking.expired')).toEqual([sweptAt]);
  });

  it("an order's notices to the lab carry the clock time", async () => {
    const at = '2026-11-26T08:09:10.111Z';
    clock.now = new Date(at);
    const d = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId: lab.id }).ofService(saltSpray, 24).requested();
    const manager = await userIdOf(t.db, USERS.lab);
    const { rows } = await t.db.pool.query<{ created_at: Date }>(
      "SELECT created_at FROM notifications WHERE user_id = $1 AND link LIKE '%' || $2",
      [manager, d.order.id],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.created_at.toISOString()).toBe(at);
    expect(await auditAt(d.order.id, 'order.requested')).toEqual([at]);
  });
});
