import { describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { decodeQrSvg } from '../support/qr-svg.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';

/**
 * Check-in at the instrument: the page a label's QR code opens finds the booking the signed-in
 * person may check in or out now (their own; the lab's desk: every one), on the test clock; the
 * labels carry the public check-in URL; nobody sees or acts on another organisation's bookings.
 */
const START = new Date('2026-11-26T02:00:00Z'); // Thursday 10:00 in Shanghai
const clock = testClock(START);
const WEB = 'https://qihub.example.cn';
const t = useSeededApp({ clock, env: { PUBLIC_WEB_URL: WEB } });

interface Candidates {
  viewer: 'lab' | 'customer';
  now: string;
  unit: { position: number; label: string } | null;
  current: { booking: { id: string; status: string; actualStart: string | null }; action: string; mine: boolean }[];
  next: { id: string; start: string; status: string } | null;
}

const get = (token: string | null, url: string) =>
  t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
const candidates = async (token: string, instrumentId: string, query = '') => {
  const res = await get(token, `/v1/instruments/${instrumentId}/checkin-candidates${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Candidates>();
};
const act = (token: string, id: string, verb: string) =>
  t.app.inject({ method: 'POST', url: `/v1/bookings/${id}/${verb}`, headers: bearer(token) });

/** Moves the clock to an instant (and back with `clock.now = START` in a finally). */
const at = (iso: string) => {
  clock.now = new Date(iso);
};

async function confirmedBooking(sme: string, lab: string, instrumentId: string, start: string, end: string) {
  const held = await t.app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: bearer(sme),
    payload: { instrumentId, start, end, mode: 'self' },
  });
  expect(held.statusCode, held.body).toBe(201);
  const id = held.json<{ id: string }>().id;
  const confirmed = await act(sme, id, 'confirm');
  if (confirmed.json<{ status: string }>().status === 'pending_approval') {
    expect((await act(lab, id, 'approve')).json<{ status: string }>().status).toBe('confirmed');
  }
  return id;
}

describe('GET /v1/instruments/{id}/checkin-candidates', () => {
  it('offers the customer their own booking from 30 minutes before the start, then check-out; others see nothing', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const instrument = await anInstrumentOf(t.db, labId);
    const [sme, sme2, lab, operator, lab2] = await Promise.all([
      login(t.app, USERS.sme),
      login(t.app, USERS.sme2),
      login(t.app, USERS.lab),
      login(t.app, USERS.operator),
      login(t.app, USERS.lab2),
    ]);
    const id = await confirmedBooking(sme, lab, instrument.id, '2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z');
    try {
      // Days ahead: nothing to check in yet, the booking is the next one.
      const early = await candidates(sme, instrument.id);
      expect(early.viewer).toBe('customer');
      expect(early.current).toEqual([]);
      expect(early.next).toMatchObject({ id, start: '2026-11-30T02:00:00.000Z', status: 'confirmed' });

      // 31 minutes before the start: still closed, as the check-in API says.
      at('2026-11-30T01:29:00Z');
      expect((await candidates(sme, instrument.id)).current).toEqual([]);
      expectProblem(await act(sme, id, 'check-in'), 409, 'outside_check_in_window');

      at('2026-11-30T01:50:00Z');
      const open = await candidates(sme, instrument.id);
      expect(open.now).toBe('2026-11-30T01:50:00.000Z');
      expect(open.current.map((c) => [c.booking.id, c.action, c.mine])).toEqual([[id, 'check-in', true]]);
      expect(open.next?.id).not.toBe(id);

      // Another organisation's customer, and another lab's manager, see none of it and cannot act on it.
      for (const stranger of [sme2, lab2]) {
        const theirs = await candidates(stranger, instrument.id);
        expect(theirs.viewer).toBe('customer');
        expect(theirs.current).toEqual([]);
        expect(theirs.next).toBeNull();
        expectProblem(await act(stranger, id, 'check-in'), 404, 'not_found');
      }
      // The lab's desk (manager, operator) sees every current booking of the instrument.
      for (const desk of [lab, operator]) {
        const seen = await candidates(desk, instrument.id);
        expect(seen.viewer).toBe('lab');
        expect(seen.current.find((c) => c.booking.id === id)).toMatchObject({ action: 'check-in', mine: false });
      }

      const checkedIn = await act(sme, id, 'check-in');
      expect(checkedIn.json()).toMatchObject({ status: 'in_use', actualStart: '2026-11-30T01:50:00.000Z' });
      at('2026-11-30T04:05:00Z'); // an overrun still checks out
      const inUse = await candidates(sme, instrument.id);
      expect(inUse.current.map((c) => [c.booking.id, c.action])).toEqual([[id, 'check-out']]);
      const done = await act(sme, id, 'check-out');
      expect(done.json()).toMatchObject({ status: 'completed', actualEnd: '2026-11-30T04:05:00.000Z' });
      expect((await candidates(sme, instrument.id)).current).toEqual([]);
    } finally {
      clock.now = START;
    }
  });

  it('narrows to one unit when the label names it, and refuses a unit or instrument that is not there', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const instrument = await anInstrumentOf(t.db, labId);
    const sme = await login(t.app, USERS.sme);
    const { rows } = await t.db.pool.query<{ position: number; label: string }>(
      'SELECT position, label FROM instrument_units WHERE instrument_id = $1 ORDER BY position LIMIT 1',
      [instrument.id],
    );
    const one = await candidates(sme, instrument.id, `?unit=${rows[0]!.position}`);
    expect(one.unit).toEqual({ position: rows[0]!.position, label: rows[0]!.label });
    expectProblem(await get(sme, `/v1/instruments/${instrument.id}/checkin-candidates?unit=99`), 404, 'not_found');
    expectProblem(
      await get(sme, `/v1/instruments/${instrument.id}/checkin-candidates?unit=0`),
      400,
      'validation_failed',
    );
    expectProblem(
      await get(sme, `/v1/instruments/${instrument.id}/checkin-candidates?unit=x`),
      400,
      'validation_failed',
    );
    expectProblem(
      await get(sme, '/v1/instruments/c0ffee00-0b5e-4d1e-9f00-00000000dead/checkin-candidates'),
      404,
      'not_found',
    );
    expectProblem(await get(sme, '/v1/instruments/not-a-uuid/checkin-candidates'), 400, 'validation_failed');
    expectProblem(await get(null, `/v1/instruments/${instrument.id}/checkin-candidates`), 401, 'unauthenticated');
  });
});

describe('GET /v1/labs/{labId}/checkin-labels', () => {
  interface Labels {
    items: { instrumentId: string; unit: { position: number } | null; url: string; qrSvg: string; status: string }[];
  }

  it('gives one label per instrument in service, one per unit of a multi-unit one, each QR reading its check-in URL', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const lab = await login(t.app, USERS.lab);
    const instrument = await anInstrumentOf(t.db, labId);
    // A second unit of the same model joins the instrument.
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v1/instruments/${instrument.id}`,
      headers: bearer(lab),
      payload: { unitCount: 2 },
    });
    expect(patched.statusCode, patched.body).toBe(200);

    const res = await get(lab, `/v1/labs/${labId}/checkin-labels`);
    expect(res.statusCode, res.body).toBe(200);
    const { items } = res.json<Labels>();
    const { rows } = await t.db.pool.query<{ id: string }>(
      "SELECT id FROM instruments WHERE lab_id = $1 AND status <> 'retired'",
      [labId],
    );
    expect(new Set(items.map((i) => i.instrumentId))).toEqual(new Set(rows.map((r) => r.id)));
    expect(items.every((i) => i.status !== 'retired')).toBe(true);

    const mine = items.filter((i) => i.instrumentId === instrument.id);
    expect(mine.map((i) => i.url)).toEqual([
      `${WEB}/checkin/${instrument.id}?unit=1`,
      `${WEB}/checkin/${instrument.id}?unit=2`,
    ]);
    for (const label of items) {
      expect(label.qrSvg).toMatch(/^<svg[^>]*viewBox/);
      expect(decodeQrSvg(label.qrSvg)).toBe(label.url);
      expect(label.url).toMatch(new RegExp(`^${WEB}/checkin/${label.instrumentId}(\\?unit=\\d+)?$`));
    }

    const single = await get(lab, `/v1/labs/${labId}/checkin-labels?instrumentId=${instrument.id}`);
    expect(single.json<Labels>().items.map((i) => i.unit?.position)).toEqual([1, 2]);
  });

  it('is for the lab’s members: customers and other labs are refused, other labs’ and retired instruments too', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const lab2Id = await orgOf(t.db, USERS.lab2);
    const [lab, lab2, sme] = await Promise.all([
      login(t.app, USERS.lab),
      login(t.app, USERS.lab2),
      login(t.app, USERS.sme),
    ]);
    expectProblem(await get(sme, `/v1/labs/${labId}/checkin-labels`), 403, 'forbidden');
    expectProblem(await get(lab2, `/v1/labs/${labId}/checkin-labels`), 403, 'forbidden');
    expectProblem(await get(null, `/v1/labs/${labId}/checkin-labels`), 401, 'unauthenticated');
    const theirs = await anInstrumentOf(t.db, lab2Id);
    expectProblem(await get(lab, `/v1/labs/${labId}/checkin-labels?instrumentId=${theirs.id}`), 404, 'not_found');
    expectProblem(await get(lab, `/v1/labs/${labId}/checkin-labels?instrumentId=nope`), 400, 'validation_failed');

    const { rows } = await t.db.pool.query<{ id: string }>(
      "SELECT id FROM instruments WHERE lab_id = $1 AND status <> 'retired' ORDER BY name_zh DESC LIMIT 1",
      [labId],
    );
    const retired = await t.app.inject({
      method: 'POST',
      url: `/v1/instruments/${rows[0]!.id}/retire`,
      headers: bearer(lab),
    });
    expect(retired.statusCode, retired.body).toBe(200);
    expectProblem(
      await get(lab, `/v1/labs/${labId}/checkin-labels?instrumentId=${rows[0]!.id}`),
      409,
      'instrument_retired',
    );
    const all = (await get(lab, `/v1/labs/${labId}/checkin-labels`)).json<Labels>();
    expect(all.items.some((i) => i.instrumentId === rows[0]!.id)).toBe(false);
  });
});
