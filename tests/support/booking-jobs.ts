import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { bearer } from './app.ts';
import type { TestDatabase } from './db.ts';

/**
 * Scenario helpers for the booking jobs (reminders, no-shows, email, calendars): an instrument
 * of the demo lab made single-unit (so a second booking of the same time is refused until the first
 * is released), with policy overrides, and bookings driven through the API to a given status.
 */
export async function aSingleUnitInstrument(
  db: TestDatabase,
  labId: string,
  offset: number,
  policy: { leadMinutes?: number; requiresApproval?: boolean } = {},
): Promise<{ id: string; nameZh: string; addressZh: string }> {
  const { rows } = await db.pool.query<{ id: string; name_zh: string; address_zh: string }>(
    `SELECT i.id, i.name_zh, s.address_zh FROM instruments i JOIN sites s ON s.id = i.site_id
     WHERE i.lab_id = $1 AND i.status = 'active' AND i.external_rate_hour IS NOT NULL
     ORDER BY i.name_zh LIMIT 1 OFFSET $2`,
    [labId, offset],
  );
  const row = rows[0];
  if (!row) throw new Error(`lab ${labId} has no bookable instrument #${offset}`);
  await db.pool.query('UPDATE instruments SET unit_count = 1 WHERE id = $1', [row.id]);
  await db.pool.query(
    `INSERT INTO instrument_units (instrument_id, label, position) SELECT $1, '#1', 1
     WHERE NOT EXISTS (SELECT 1 FROM instrument_units WHERE instrument_id = $1)`,
    [row.id],
  );
  await db.pool.query(
    `UPDATE instrument_units SET active = position = (SELECT min(position) FROM instrument_units WHERE instrument_id = $1)
     WHERE instrument_id = $1`,
    [row.id],
  );
  if (policy.leadMinutes !== undefined || policy.requiresApproval !== undefined) {
    await db.pool.query(
      `INSERT INTO booking_policies (instrument_id, lead_minutes, requires_approval) VALUES ($1, $2, $3)
       ON CONFLICT (instrument_id) DO UPDATE SET lead_minutes = $2, requires_approval = $3`,
      [row.id, policy.leadMinutes ?? 24 * 60, policy.requiresApproval ?? true],
    );
  }
  return { id: row.id, nameZh: row.name_zh, addressZh: row.address_zh };
}

export type BookingTarget = 'held' | 'pending_approval' | 'confirmed' | 'cancelled';

/**
 * Books [start, end) as `customer` and drives it to `target` (approval by `lab` where the policy
 * needs it). The database stamps created_at with its own clock; it is set to the test clock's
 * "now", since when a booking was made is what the reminder rules read.
 */
export async function bookTo(
  t: { app: FastifyInstance; db: TestDatabase },
  tokens: { customer: string; lab: string },
  instrumentId: string,
  start: string,
  end: string,
  target: BookingTarget,
  madeAt: Date,
): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: bearer(tokens.customer),
    payload: { instrumentId, start, end, mode: 'self' },
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json<{ id: string }>().id;
  await t.db.pool.query('UPDATE bookings SET created_at = $2 WHERE id = $1', [id, madeAt]);
  const act = async (token: string, verb: string) => {
    const r = await t.app.inject({ method: 'POST', url: `/v1/bookings/${id}/${verb}`, headers: bearer(token) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ status: string }>().status;
  };
  if (target === 'held') return id;
  let status = await act(tokens.customer, 'confirm');
  if (target === 'pending_approval') {
    expect(status).toBe('pending_approval');
    return id;
  }
  if (status === 'pending_approval') status = await act(tokens.lab, 'approve');
  expect(status).toBe('confirmed');
  if (target === 'cancelled') await act(tokens.customer, 'cancel');
  return id;
}

export async function statusOf(db: TestDatabase, id: string): Promise<string> {
  const { rows } = await db.pool.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [id]);
  return rows[0]!.status;
}
