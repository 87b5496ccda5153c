import { describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { allowManyHolds, anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';

/** Free time = opening hours (holidays, 调休) − closures − active bookings, and every slot offered can be booked. */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

interface Availability {
  timeZone: string;
  slots: { start: string; end: string; unitsFree: number }[];
}

async function availability(instrumentId: string, from: string, to: string, durationMinutes = 60) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/instruments/${instrumentId}/availability?from=${from}&to=${to}&durationMinutes=${durationMinutes}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Availability>();
}

describe('instrument availability', () => {
  it('offers grid slots inside opening hours only, and every one of them can be booked', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const instrument = await anInstrumentOf(t.db, labId);
    // Every third slot of the day is held below, by one person.
    await allowManyHolds(t.db, labId);
    // Monday 30 November 2026, Shanghai: open 08:30–17:30 by default.
    const day = await availability(instrument.id, '2026-11-30T00:00:00Z', '2026-11-30T12:00:00Z');
    expect(day.timeZone).toBe('Asia/Shanghai');
    expect(day.slots[0]!.start).toBe('2026-11-30T00:30:00.000Z');
    expect(day.slots.at(-1)!.end).toBe('2026-11-30T09:30:00.000Z');
    // Saturday: closed.
    expect((await availability(instrument.id, '2026-11-28T00:00:00Z', '2026-11-28T16:00:00Z')).slots).toEqual([]);

    const sme = await login(t.app, USERS.sme);
    for (const slot of day.slots.filter((_, i) => i % 3 === 0)) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/bookings',
        headers: bearer(sme),
        payload: { instrumentId: instrument.id, start: slot.start, end: slot.end, mode: 'self' },
      });
      expect(res.statusCode, `${slot.start} ${res.body}`).toBe(201);
    }
    // Booked slots disappear; overlapping ones too.
    const after = await availability(instrument.id, '2026-11-30T00:00:00Z', '2026-11-30T12:00:00Z');
    expect(after.slots.length).toBeLessThan(day.slots.length);
    const taken = new Set(day.slots.filter((_, i) => i % 3 === 0).map((s) => s.start));
    expect(after.slots.some((s) => taken.has(s.start))).toBe(false);
  });

  it('honours lab closures and the State Council holidays', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const instrument = await anInstrumentOf(t.db, labId);
    await t.db.pool.query(
      "INSERT INTO closures (lab_id, during, reason) VALUES ($1, '[2026-12-01T00:00:00Z,2026-12-01T06:00:00Z)', '年度内审')",
      [labId],
    );
    const closedMorning = await availability(instrument.id, '2026-12-01T00:00:00Z', '2026-12-01T12:00:00Z');
    expect(closedMorning.slots.every((s) => s.start >= '2026-12-01T06:00:00.000Z')).toBe(true);
    expect(closedMorning.slots.length).toBeGreaterThan(0);
    const sme = await login(t.app, USERS.sme);
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/v1/bookings',
        headers: bearer(sme),
        payload: {
          instrumentId: instrument.id,
          start: '2026-12-01T02:00:00Z',
          end: '2026-12-01T03:00:00Z',
          mode: 'self',
        },
      }),
      422,
      'outside_opening_hours',
    );
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/v1/bookings',
        headers: bearer(sme),
        payload: {
          instrumentId: instrument.id,
          start: '2026-11-28T02:00:00Z',
          end: '2026-11-28T03:00:00Z',
          mode: 'self',
        },
      }),
      422,
      'outside_opening_hours',
    );
  });

  it('refuses a span that is reversed or too long, and an unknown instrument', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const instrument = await anInstrumentOf(t.db, labId);
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: `/v1/instruments/${instrument.id}/availability?from=2026-12-10T00:00:00Z&to=2026-12-01T00:00:00Z&durationMinutes=60`,
      }),
      422,
      'invalid_span',
    );
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: `/v1/instruments/${instrument.id}/availability?from=2026-12-01T00:00:00Z&to=2027-03-01T00:00:00Z&durationMinutes=60`,
      }),
      422,
      'invalid_span',
    );
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: '/v1/instruments/00000000-0000-4000-8000-000000000000/availability?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&durationMinutes=60',
      }),
      404,
      'not_found',
    );
  });
});
