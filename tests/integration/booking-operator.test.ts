import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import { api, ok, userIdOf } from '../factories/index.ts';

/**
 * The lab's side of one booking: the booker's contact for the lab only, and the operator of an
 * assisted booking handed to another qualified, free operator of the lab (audited, notified).
 */
const clock = testClock();
const t = useSeededApp({ clock });
const SLOT = { start: '2026-12-01T02:00:00Z', end: '2026-12-01T03:00:00Z' };

let call: ReturnType<typeof api>;
const tok = {} as Record<'lab' | 'operator' | 'sme' | 'sme2' | 'lab2', string>;
let bookingId: string;
let instrumentId: string;
let labId: string;
let operatorUser: string;
let newOperator: string;

describe('the operator and the contact of a booking', () => {
  beforeAll(async () => {
    call = api(t.app);
    for (const who of ['lab', 'operator', 'sme', 'sme2', 'lab2'] as const) tok[who] = await login(t.app, USERS[who]);
    labId = await orgOf(t.db, USERS.lab);
    instrumentId = (await anInstrumentOf(t.db, labId)).id;
    operatorUser = await userIdOf(t.db, USERS.operator);
    // A second operator at the lab, trained on the instrument (as the membership and training pages write them).
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name, phone) VALUES ('operator2@demo.qihub.test', 'x', '吴工', '13800000009')
       RETURNING id`,
    );
    newOperator = rows[0]!.id;
    await t.db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'operator')`, [
      newOperator,
      labId,
    ]);
    for (const u of [operatorUser, newOperator]) {
      await t.db.pool.query(
        `INSERT INTO training_records (user_id, instrument_id, lab_id, qualified_at)
         VALUES ($1, $2, $3, '2026-01-01T00:00:00Z') ON CONFLICT DO NOTHING`,
        [u, instrumentId, labId],
      );
    }
    const held = await call(tok.sme, 'POST', '/v1/bookings', { instrumentId, ...SLOT, mode: 'assisted' });
    expect(held.statusCode, held.body).toBe(201);
    bookingId = held.json<{ id: string }>().id;
  });

  it('shows the lab the booker’s name, phone and e-mail; to anyone else the booking does not exist', async () => {
    const contact = ok<{ booker: { displayName: string; email: string; phone: string | null } }>(
      await call(tok.lab, 'GET', `/v1/bookings/${bookingId}/contact`),
    );
    expect(contact.booker).toEqual({ displayName: '李经理', email: USERS.sme, phone: '13800000006' });
    expectProblem(await call(tok.lab2, 'GET', `/v1/bookings/${bookingId}/contact`), 404, 'not_found');
    expectProblem(await call(tok.sme, 'GET', `/v1/bookings/${bookingId}/contact`), 404, 'not_found');
  });

  it('hands the booking to another operator of the lab: audited, the new operator notified', async () => {
    const before = ok<{ operatorId: string | null }>(await call(tok.lab, 'GET', `/v1/bookings/${bookingId}`));
    const target = before.operatorId === newOperator ? operatorUser : newOperator;
    const after = ok<{ operatorId: string }>(
      await call(tok.lab, 'PUT', `/v1/bookings/${bookingId}/operator`, { operatorId: target }),
    );
    expect(after.operatorId).toBe(target);
    const audit = await t.db.pool.query(
      `SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'booking.operator'`,
      [bookingId],
    );
    expect(audit.rowCount).toBe(1);
    const notices = await t.db.pool.query(
      `SELECT link FROM notifications WHERE user_id = $1 AND kind = 'booking_operator'`,
      [target],
    );
    expect(notices.rows).toEqual([{ link: `/console/bookings/${bookingId}?lab=${labId}` }]);
  });

  it('refuses a non-operator, another lab, an operator, a customer and a self-operated booking, changing nothing', async () => {
    const labUser = await userIdOf(t.db, USERS.lab);
    const now = ok<{ operatorId: string }>(await call(tok.lab, 'GET', `/v1/bookings/${bookingId}`)).operatorId;
    const put = (token: string, operatorId: string, id = bookingId) =>
      call(token, 'PUT', `/v1/bookings/${id}/operator`, { operatorId });
    expectProblem(await put(tok.lab, labUser), 422, 'not_a_member');
    expectProblem(await put(tok.lab, await userIdOf(t.db, USERS.lab2)), 422, 'not_a_member');
    expectProblem(await put(tok.operator, operatorUser), 403, 'forbidden');
    expectProblem(await put(tok.sme, operatorUser), 404, 'not_found');
    expectProblem(await put(tok.lab2, operatorUser), 404, 'not_found');
    const self = await call(tok.sme, 'POST', '/v1/bookings', {
      instrumentId,
      start: '2026-12-02T02:00:00Z',
      end: '2026-12-02T03:00:00Z',
      mode: 'self',
    });
    expectProblem(await put(tok.lab, operatorUser, self.json<{ id: string }>().id), 409, 'illegal_transition');
    expect(ok<{ operatorId: string }>(await call(tok.lab, 'GET', `/v1/bookings/${bookingId}`)).operatorId).toBe(now);
  });

  it('two desks handing one free operator two bookings at the same time at once: one wins, the other is 409 and keeps its operator', async () => {
    // Two instruments booked, assisted, for the same hour; then a third operator, free, trained on both.
    const { rows: ins } = await t.db.pool.query<{ id: string }>(
      `SELECT i.id FROM instruments i LEFT JOIN booking_policies p ON p.instrument_id = i.id
        WHERE i.lab_id = $1 AND i.status = 'active' AND i.id <> $2 AND 'assisted' = ANY (coalesce(p.modes, '{assisted}'))
        ORDER BY i.name_zh LIMIT 1`,
      [labId, instrumentId],
    );
    const other = ins[0]!.id;
    const train = async (u: string) => {
      for (const i of [instrumentId, other]) {
        await t.db.pool.query(
          `INSERT INTO training_records (user_id, instrument_id, lab_id, qualified_at)
           VALUES ($1, $2, $3, '2026-01-01T00:00:00Z') ON CONFLICT DO NOTHING`,
          [u, i, labId],
        );
      }
    };
    for (const u of [operatorUser, newOperator]) await train(u);
    const hour = { start: '2026-12-03T02:00:00Z', end: '2026-12-03T03:00:00Z' };
    const held = async (instrument: string) => {
      const res = await call(tok.sme2, 'POST', '/v1/bookings', { instrumentId: instrument, ...hour, mode: 'assisted' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string; operatorId: string }>();
    };
    const a = await held(instrumentId);
    const b = await held(other);
    // The third joins afterwards, free at that hour.
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name) VALUES ('operator3@demo.qihub.test', 'x', '钱工') RETURNING id`,
    );
    const third = rows[0]!.id;
    await t.db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'operator')`, [
      third,
      labId,
    ]);
    await train(third);

    const answers = await Promise.all(
      [a.id, b.id].map((id) => call(tok.lab, 'PUT', `/v1/bookings/${id}/operator`, { operatorId: third })),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const lost = answers.find((r) => r.statusCode === 409)!;
    expectProblem(lost, 409, 'operator_unavailable');

    // The third operator runs exactly one of them; the other kept the operator it had.
    const { rows: now } = await t.db.pool.query<{ id: string; operator_id: string }>(
      `SELECT id, operator_id FROM bookings WHERE id = ANY ($1::uuid[])`,
      [[a.id, b.id]],
    );
    const by = new Map(now.map((r) => [r.id, r.operator_id]));
    expect([by.get(a.id), by.get(b.id)].filter((o) => o === third)).toHaveLength(1);
    const loser = by.get(a.id) === third ? b : a;
    expect(by.get(loser.id)).toBe(loser.operatorId);
    const audits = await t.db.pool.query(
      `SELECT entity_id FROM audit_log WHERE entity_id = ANY ($1::text[]) AND action = 'booking.operator'`,
      [[a.id, b.id]],
    );
    expect(audits.rows).toEqual([{ entity_id: by.get(a.id) === third ? a.id : b.id }]);
  });
});
