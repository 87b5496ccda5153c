import { describe, expect, it, beforeAll } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';

/**
 * The national holiday calendar: `chinese-days` by default; a year the province platform's admins
 * enter overrides it for availability and due dates computed from then on, while orders keep the
 * due date they were promised. 2027 is not in the package (its schedule is not published yet).
 */
const t = useSeededApp({ clock: testClock(new Date('2026-11-26T02:00:00Z')) });

interface HolidayYear {
  year: number;
  source: 'override' | 'package' | 'statutory';
  makeupWorkdaysKnown: boolean;
  holidays: string[];
  makeupWorkdays: string[];
  note: string;
  packageSource: string;
}

let admin: string;
let instrumentId: string;
let labId: string;

const getYear = async (token: string, year: number) => {
  const res = await t.app.inject({ method: 'GET', url: `/v1/admin/holidays?year=${year}`, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<HolidayYear>();
};
const put = (token: string, year: number, body: Record<string, unknown>) =>
  t.app.inject({ method: 'PUT', url: `/v1/admin/holidays/${year}`, headers: bearer(token), payload: body });
const slotsOn = async (date: string) => {
  // The whole China day: 00:00–24:00 in Shanghai.
  const from = new Date(`${date}T00:00:00+08:00`).toISOString();
  const to = new Date(`${date}T23:59:00+08:00`).toISOString();
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/instruments/${instrumentId}/availability?from=${from}&to=${to}&durationMinutes=60`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ slots: unknown[] }>().slots.length;
};

beforeAll(async () => {
  admin = await login(t.app, USERS.admin);
  labId = await orgOf(t.db, USERS.lab);
  instrumentId = (await anInstrumentOf(t.db, labId)).id;
});

describe('the holiday calendar', () => {
  it('shows a published year from the package, with its make-up working days', async () => {
    const y = await getYear(admin, 2026);
    expect(y.source).toBe('package');
    expect(y.makeupWorkdaysKnown).toBe(true);
    // 2026: Spring Festival make-up Saturdays 14 and 28 February; National Day 1–7 October.
    expect(y.makeupWorkdays).toEqual(expect.arrayContaining(['2026-02-14', '2026-02-28']));
    expect(y.holidays).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-07']));
  });

  it('shows a year with no official schedule as such: statutory holidays only, make-up days unknown', async () => {
    const y = await getYear(admin, 2027);
    expect(y.source).toBe('statutory');
    expect(y.makeupWorkdaysKnown).toBe(false);
    expect(y.makeupWorkdays).toEqual([]);
    expect(y.holidays).toEqual(expect.arrayContaining(['2027-01-01', '2027-05-01', '2027-10-01', '2027-10-03']));
    // No bridging days invented: 4–7 October are not holidays by law.
    expect(y.holidays).not.toContain('2027-10-04');
  });

  it('lets only the province platform’s admins enter a year, and checks the dates', async () => {
    const sme = await login(t.app, USERS.sme);
    expectProblem(await put(sme, 2027, { holidays: [], makeupWorkdays: [] }), 403, 'forbidden');
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/admin/holidays?year=2027', headers: bearer(sme) }),
      403,
      'forbidden',
    );
    // 2027-01-11 is a Monday: not a make-up day; 2026-12-31 is not a day of 2027.
    const bad = expectProblem(
      await put(admin, 2027, { holidays: ['2026-12-31'], makeupWorkdays: ['2027-01-11'] }),
      400,
      'validation_failed',
    );
    expect(bad.errors?.map((e) => e.path).sort()).toEqual(['/holidays/0', '/makeupWorkdays/0']);
    expect((await getYear(admin, 2027)).source).toBe('statutory');
  });

  it('an entered year changes availability on a make-up Saturday and a new holiday, and is audited', async () => {
    // Saturday 9 January 2027 is closed, Monday 4 January open, while 2027 has no official schedule.
    expect(await slotsOn('2027-01-09')).toBe(0);
    expect(await slotsOn('2027-01-04')).toBeGreaterThan(0);
    const entered = await put(admin, 2027, {
      holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'],
      makeupWorkdays: ['2027-01-09'],
      note: '国办发明电〔2026〕测试号',
    });
    expect(entered.statusCode, entered.body).toBe(200);
    expect(entered.json<HolidayYear>()).toMatchObject({ source: 'override', makeupWorkdays: ['2027-01-09'] });
    expect(await slotsOn('2027-01-09')).toBeGreaterThan(0);
    expect(await slotsOn('2027-01-04')).toBe(0);
    const y = await getYear(admin, 2027);
    expect(y).toMatchObject({ source: 'override', packageSource: 'statutory', note: '国办发明电〔2026〕测试号' });
    const audit = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/audit?entityType=holiday_year&entityId=2027',
      headers: bearer(admin),
    });
    expect(audit.json<{ items: { action: string }[] }>().items.map((e) => e.action)).toEqual(['holidays.entered']);
  });

  it('due dates computed after follow the entered year; a promised due date stays', async () => {
    const { addWorkingDays } = await import('../../api/src/modules/orders/workingdays.ts');
    const { refreshHolidayCalendar } = await import('../../api/src/modules/availability/index.ts');
    // What every due-date computation does first: bring the calendar in memory up to date.
    const dueAfterFiveDays = async () => {
      await refreshHolidayCalendar(t.db.db);
      return addWorkingDays(new Date('2026-12-31T02:00:00Z'), 5).toISOString();
    };
    // A due date promised before: an order due in the first days of 2027, as stored.
    const { rows } = await t.db.pool.query<{ id: string }>(`SELECT id FROM orders WHERE lab_id = $1 LIMIT 1`, [labId]);
    const orderId = rows[0]!.id;
    await t.db.pool.query(`UPDATE orders SET due_at = '2027-01-04T15:59:59.999Z' WHERE id = $1`, [orderId]);
    // Entered 2027 above: 1–4 January off, Saturday 9 January a working day. From Thursday
    // 31 December 2026, 5 working days: 5, 6, 7, 8, 9 January → the end of Saturday the 9th.
    expect(await dueAfterFiveDays()).toBe('2027-01-09T15:59:59.999Z');
    // A new entry moves it again (only 1 January off, the 9th a weekend): 4–8 January, the 8th.
    expect((await put(admin, 2027, { holidays: ['2027-01-01'], makeupWorkdays: [] })).statusCode).toBe(200);
    expect(await dueAfterFiveDays()).toBe('2027-01-08T15:59:59.999Z');
    const lab = await login(t.app, USERS.lab);
    const order = await t.app.inject({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(lab) });
    expect(order.statusCode, order.body).toBe(200);
    expect(order.body).toContain('"dueAt":"2027-01-04T15:59:59.999Z"');
    const stored = await t.db.pool.query<{ due_at: Date }>(`SELECT due_at FROM orders WHERE id = $1`, [orderId]);
    expect(stored.rows[0]!.due_at.toISOString()).toBe('2027-01-04T15:59:59.999Z');
  });
});
