import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { OTHER_LAB_ID } from '@qihub/db/seed';
import {
  aLab,
  anInstrument,
  api,
  atTime,
  bookingDesk,
  COMMISSION,
  ok,
  serviceId,
  serviceOfKind,
  signIn,
  userIdOf,
  USERS,
  type Detail,
  type Lab,
} from '../factories/index.ts';

/**
 * 效能评价 and instrument utilisation (issue 12) from a scenario whose answer is known. Around the
 * 2026 National Day holiday (1–7 October off, Saturday 10 October a make-up working day):
 *
 * lab A (Suzhou, lab@)                     requested → quoted   samples in → report issued
 *   O1 commissioned test, 5 working days   09-29 09:00 → 13:00 (4 h)  09-29 → 10-09: 3 working days, on time, rated 4
 *   O2 commissioned test, 5 working days   09-29 10:00 → 20:00 (10 h) 09-30 → 10-15: 7 working days, late (due 10-13);
 *                                          objection upheld → re-test
 *   O3 commissioned test                   09-29 11:00 → 13:00 (2 h)  cancelled by the customer
 * lab B (Nanjing, lab2@)
 *   O4 patent navigation (no samples)      10-12 09:00 → 15:00 (6 h)  accepted 10-12 → delivered 10-14: 2 working days,
 *                                                                      on time, rated 2
 * Instrument time at lab A's new instrument X in October: the customer's 2 h (external), the lab's
 * own 1 h (internal), 3 h of work on O1 (an outside customer's order: external); instrument Y idle.
 */
const clock = testClock(new Date('2026-09-28T02:00:00Z'));
const t = useSeededApp({ clock });
const FROM = '2026-09-29';
const TO = '2026-10-16';

type Tok = Record<'sme' | 'lab' | 'lab2' | 'admin' | 'officer' | 'reviewer', string>;
let tk: Tok;
let cityAdmin: string;
let call: ReturnType<typeof api>;
let labA: Lab;
let labBId: string;
const o = {} as Record<'o1' | 'o2' | 'o3' | 'o4', Detail>;

interface Figures {
  ordersRequested: number;
  ordersQuoted: number;
  responseHoursMedian: number | null;
  responseHoursP90: number | null;
  reportsIssued: number;
  turnaroundWorkingDaysMedian: number | null;
  turnaroundWorkingDaysP90: number | null;
  ordersWithDeadline: number;
  ordersOnTime: number;
  onTimeRate: number | null;
  ordersRetested: number;
  retestRate: number | null;
  ordersWithUpheldObjection: number;
  upheldObjectionRate: number | null;
  ordersCancelled: number;
  cancellationRate: number | null;
  ratings: number;
  averageRating: number | null;
}
interface Efficiency {
  region: { code: string };
  groupBy: string;
  overall: Figures;
  groups: { key: string; nameZh: string | null; figures: Figures }[];
  worst: { figure: string; value: number; lab: { id: string } }[];
}
interface FigureOrders {
  total: number;
  items: { id: string; number: string; value: number; lab: { id: string } }[];
}
interface Use {
  effectiveHours: number;
  externalHours: number;
  internalHours: number;
  sharingRatio: number | null;
}
interface Utilisation {
  totals: Use & { instruments: number; instrumentsBooked: number };
  byMonth: (Use & { month: number })[];
  labs: (Use & { lab: { id: string }; instruments: number; idleInstruments: number })[];
  instruments: (Use & { id: string; bookings: number })[];
  idle: { id: string }[];
}

let before2026: Utilisation;
let cityBefore2026: Utilisation;

/** `base` plus the scenario's hours: effective, external (internal = the rest), the ratio of the sums. */
function plus(base: Use, effective: number, external: number) {
  const eff = base.effectiveHours + effective;
  const ext = base.externalHours + external;
  return {
    // Each figure is rounded to 0.01 h from the seconds, so sums of rounded figures may be 0.01 off.
    effectiveHours: expect.closeTo(eff, 1),
    externalHours: expect.closeTo(ext, 1),
    internalHours: expect.closeTo(eff - ext, 1),
    sharingRatio: expect.closeTo(ext / eff, 3),
  };
}

/** A platform admin of the Suzhou city platform (the seed has the platform, not its admin). */
async function aSuzhouCityAdmin(): Promise<string> {
  const pool = t.db.pool;
  const org = await pool.query<{ id: string }>(
    `SELECT id FROM organisations WHERE kind = 'platform' AND region_code = '320500'`,
  );
  const user = await pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT 'sz-admin@test.qihub.test', password_hash, '苏州市平台管理员' FROM users WHERE email = 'admin@demo.qihub.test'
     RETURNING id`,
  );
  await pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'admin')`, [
    user.rows[0]!.id,
    org.rows[0]!.id,
  ]);
  return login(t.app, 'sz-admin@test.qihub.test');
}

const at = <T>(iso: string, fn: () => Promise<T>) => atTime(clock, iso, fn);
const step = (token: string, id: string, verb: string, body?: unknown) =>
  call(token, 'POST', `/v1/orders/${id}/${verb}`, body);

/** The customer asks for one on-quote line of a service; the lab quotes it later at 500 yuan. */
async function requestedAndQuoted(
  labToken: string,
  labId: string,
  service: string,
  requestedAt: string,
  quotedAt: string,
) {
  const d = await at(requestedAt, async () =>
    ok<Detail>(
      await call(tk.sme, 'POST', '/v1/orders', {
        labId,
        requestNotes: '',
        lines: [{ serviceId: service, quantity: 1 }],
      }),
      201,
    ),
  );
  expect(d.order.status).toBe('requested');
  return at(quotedAt, async () =>
    ok<Detail>(
      await step(labToken, d.order.id, 'quote', {
        lines: d.lines.map((l) => ({ lineId: l.id, unitPriceFen: 50_000 })),
        validUntil: '2026-12-31',
      }),
    ),
  );
}

const accepted = (d: Detail, iso: string) =>
  at(iso, async () =>
    ok<Detail>(
      await step(tk.sme, d.order.id, 'accept', {
        quotedAt: d.order.quotedAt,
        commission: COMMISSION,
        deadlineTierDays: 5,
      }),
    ),
  );

async function samplesIn(d: Detail, iso: string) {
  return at(iso, async () => {
    for (const s of d.samples) {
      ok(
        await step(tk.lab, d.order.id, `samples/${s.id}/receive`, { conditionOnArrival: '完好', quantity: s.quantity }),
      );
    }
    return ok<Detail>(await step(tk.lab, d.order.id, 'start'));
  });
}

/** Tester operator@, reviewer reviewer@, signed and issued by lab@ at `iso`. */
async function reportIssued(orderId: string, iso: string) {
  const tester = await userIdOf(t.db, USERS.operator);
  return at(iso, async () => {
    const draft = ok<{ id: string; results: { lineId: string; parameterZh: string; standardCode: string }[] }>(
      await call(tk.lab, 'POST', `/v1/orders/${orderId}/reports`, { testerId: tester }),
      201,
    );
    ok(
      await call(tk.lab, 'PATCH', `/v1/reports/${draft.id}`, {
        results: draft.results.map((r) => ({
          lineId: r.lineId,
          parameterZh: r.parameterZh,
          standardCode: r.standardCode,
          result: '96 h 无红锈',
          verdict: 'pass',
        })),
      }),
    );
    ok(await call(tk.lab, 'POST', `/v1/reports/${draft.id}/submit`));
    ok(await call(tk.reviewer, 'POST', `/v1/reports/${draft.id}/review`, { decision: 'approve' }));
    ok(await call(tk.lab, 'POST', `/v1/reports/${draft.id}/issue`));
    return ok<Detail>(await call(tk.sme, 'GET', `/v1/orders/${orderId}`));
  });
}

const closedAndRated = (id: string, closeAt: string, rateAt: string, score: number) =>
  at(closeAt, async () => ok(await step(tk.sme, id, 'close'))).then(() =>
    at(rateAt, async () => ok(await call(tk.sme, 'POST', `/v1/orders/${id}/rating`, { score }), 201)),
  );

/** A booking made, confirmed, checked in and out at these instants. */
async function used(token: string, instrumentId: string, start: string, end: string, bookedAt: string) {
  const desk = bookingDesk(t, () => tk.lab);
  const b = await at(bookedAt, () => desk.booked(token, instrumentId, start, end));
  await at(bookedAt, () => desk.acted(token, b.id, 'confirm'));
  await at(start, () => desk.acted(tk.lab, b.id, 'check-in'));
  await at(end, () => desk.acted(tk.lab, b.id, 'check-out'));
  return b.id;
}

beforeAll(async () => {
  call = api(t.app);
  tk = await signIn(t.app, ['sme', 'lab', 'lab2', 'admin', 'officer', 'reviewer'], {
    ...USERS,
    reviewer: 'reviewer@demo.qihub.test',
  });
  cityAdmin = await aSuzhouCityAdmin();
  // The demo seed's own instrument history (2026-03 … 11-15) before the scenario adds its hours.
  before2026 = ok<Utilisation>(await api(t.app)(tk.admin, 'GET', '/v1/admin/utilisation?year=2026'));
  cityBefore2026 = ok<Utilisation>(await api(t.app)(cityAdmin, 'GET', '/v1/admin/utilisation?year=2026'));
  const open = () =>
    anInstrument({ nameZh: '效能评价测试仪器', unitCount: 1 })
      .open('08:00-18:00', [1, 2, 3, 4, 5, 6])
      .policy({ requiresApproval: false, leadMinutes: 0, qualificationRequired: false });
  labA = await aLab(t).withInstrument(open()).withInstrument(open()).create();
  // The lab prices every request itself (no automatic quote), so each order has a response time.
  await t.db.pool.query(
    `UPDATE lab_order_settings SET auto_quote_fixed_price = false, objection_days = 15 WHERE lab_id = $1`,
    [labA.id],
  );
  const labB = await aLab(t, 'lab2').withDefaultOrderTerms().create();
  labBId = labB.id;
  // The scenario runs over three weeks of test clock: the sessions signed in at its start stay valid.
  await t.db.pool.query(`UPDATE sessions SET expires_at = '2027-12-31T00:00:00Z'`);
  const test = (await serviceOfKind(t.db, labA.id, ['commissioned_test'], true)).id;

  o.o1 = await requestedAndQuoted(tk.lab, labA.id, test, '2026-09-29T01:00:00Z', '2026-09-29T05:00:00Z');
  o.o2 = await requestedAndQuoted(tk.lab, labA.id, test, '2026-09-29T02:00:00Z', '2026-09-29T12:00:00Z');
  o.o3 = await requestedAndQuoted(tk.lab, labA.id, test, '2026-09-29T03:00:00Z', '2026-09-29T05:00:00Z');

  await samplesIn(await accepted(o.o1, '2026-09-29T05:30:00Z'), '2026-09-29T06:00:00Z');
  await samplesIn(await accepted(o.o2, '2026-09-29T13:00:00Z'), '2026-09-30T02:00:00Z');
  await at('2026-09-30T01:00:00Z', async () => ok(await step(tk.sme, o.o3.order.id, 'cancel', { reason: '改期' })));

  // Order work on instrument X for O1 (the customer is the lab itself, the order an outside customer's).
  const [x] = labA.instruments;
  const work = await at('2026-09-30T03:00:00Z', async () =>
    ok<{ bookings: { id: string }[] }>(
      await step(tk.lab, o.o1.order.id, 'schedule', {
        instrumentId: x!.id,
        start: '2026-10-08T02:00:00Z',
        end: '2026-10-08T05:00:00Z',
      }),
    ),
  );
  const desk = bookingDesk(t, () => tk.lab);
  await at('2026-10-08T02:00:00Z', () => desk.acted(tk.lab, work.bookings[0]!.id, 'check-in'));
  await at('2026-10-08T05:00:00Z', () => desk.acted(tk.lab, work.bookings[0]!.id, 'check-out'));

  o.o1 = await reportIssued(o.o1.order.id, '2026-10-09T02:00:00Z');
  await closedAndRated(o.o1.order.id, '2026-10-09T03:00:00Z', '2026-10-09T04:00:00Z', 4);
  o.o2 = await reportIssued(o.o2.order.id, '2026-10-15T02:00:00Z');
  const objection = await at('2026-10-15T04:00:00Z', async () =>
    ok<Detail>(await step(tk.sme, o.o2.order.id, 'objections', { reason: '盐雾时间与委托不符' }), 201),
  );
  await at('2026-10-16T02:00:00Z', async () =>
    ok(
      await step(tk.lab, o.o2.order.id, `objections/${objection.objections[0]!.id}/resolve`, {
        outcome: 'upheld',
        resolution: '重新检测',
      }),
    ),
  );

  const patents = await serviceId(t.db, labBId, '产业专利导航分析');
  // Billed on delivery (the seed has lab B ask for prepayment): the work starts at acceptance.
  await t.db.pool.query(`UPDATE billing_settings SET terms = 'on_delivery' WHERE org_id = $1`, [labBId]);
  o.o4 = await requestedAndQuoted(tk.lab2, labBId, patents, '2026-10-12T01:00:00Z', '2026-10-12T07:00:00Z');
  await accepted(o.o4, '2026-10-12T08:00:00Z');
  await at('2026-10-14T02:00:00Z', async () => ok(await step(tk.lab2, o.o4.order.id, 'deliver')));
  await closedAndRated(o.o4.order.id, '2026-10-14T03:00:00Z', '2026-10-14T04:00:00Z', 2);

  // Instrument time in October: a customer's 2 h, the lab's own 1 h.
  await used(tk.sme, x!.id, '2026-10-12T02:00:00Z', '2026-10-12T04:00:00Z', '2026-10-09T05:00:00Z');
  await used(tk.lab, x!.id, '2026-10-13T02:00:00Z', '2026-10-13T03:00:00Z', '2026-10-09T05:00:00Z');
}, 120_000);

const efficiency = (token: string, query = '') =>
  call(token, 'GET', `/v1/admin/efficiency?from=${FROM}&to=${TO}${query}`);
const figureOrders = (token: string, query: string) =>
  call(token, 'GET', `/v1/admin/efficiency/orders?from=${FROM}&to=${TO}${query}`);

const LAB_A: Partial<Figures> = {
  ordersRequested: 3,
  ordersQuoted: 3,
  responseHoursMedian: 4,
  responseHoursP90: 8.8,
  reportsIssued: 2,
  turnaroundWorkingDaysMedian: 5,
  turnaroundWorkingDaysP90: 6.6,
  ordersWithDeadline: 2,
  ordersOnTime: 1,
  onTimeRate: 0.5,
  ordersRetested: 1,
  retestRate: 0.5,
  ordersWithUpheldObjection: 1,
  upheldObjectionRate: 0.5,
  ordersCancelled: 1,
  cancellationRate: 0.3333,
  ratings: 1,
  averageRating: 4,
};
const LAB_B: Partial<Figures> = {
  ordersRequested: 1,
  responseHoursMedian: 6,
  responseHoursP90: 6,
  reportsIssued: 1,
  turnaroundWorkingDaysMedian: 2,
  onTimeRate: 1,
  retestRate: 0,
  upheldObjectionRate: 0,
  cancellationRate: 0,
  averageRating: 2,
};

describe('efficiency evaluation', () => {
  it('answers every figure of the province, per lab, from the orders’ stamps', async () => {
    const e = ok<Efficiency>(await efficiency(tk.admin));
    expect(e.region.code).toBe('320000');
    expect(e.groupBy).toBe('lab');
    expect(e.overall).toEqual({
      ordersRequested: 4,
      ordersQuoted: 4,
      responseHoursMedian: 5,
      responseHoursP90: 8.8,
      reportsIssued: 3,
      turnaroundWorkingDaysMedian: 3,
      turnaroundWorkingDaysP90: 6.2,
      ordersWithDeadline: 3,
      ordersOnTime: 2,
      onTimeRate: 0.6667,
      ordersRetested: 1,
      retestRate: 0.3333,
      ordersWithUpheldObjection: 1,
      upheldObjectionRate: 0.3333,
      ordersCancelled: 1,
      cancellationRate: 0.25,
      ratings: 2,
      averageRating: 3,
    });
    expect(e.groups.map((g) => g.key).sort()).toEqual([labA.id, labBId].sort());
    expect(e.groups.find((g) => g.key === labA.id)!.figures).toMatchObject(LAB_A);
    expect(e.groups.find((g) => g.key === labBId)!.figures).toMatchObject(LAB_B);
  });

  it('counts turnaround in working days: the National Day holiday does not count, the make-up Saturday does', async () => {
    const list = ok<FigureOrders>(await figureOrders(tk.admin, `&figure=turnaround&lab=${labA.id}`));
    // O1: samples in Tue 29 Sep, report Fri 9 Oct — 10 calendar days, 8 weekdays, 3 working days.
    // O2: Wed 30 Sep → Thu 15 Oct: 8, 9, 10 (make-up), 12, 13, 14, 15 October.
    expect(list.items.map((i) => [i.number, i.value])).toEqual([
      [o.o2.order.number, 7],
      [o.o1.order.number, 3],
    ]);
  });

  it('groups by service kind and by sub-region, and a city admin’s region by district', async () => {
    const kinds = ok<Efficiency>(await efficiency(tk.admin, '&groupBy=kind'));
    expect(kinds.groups.map((g) => g.key).sort()).toEqual(['commissioned_test', 'ip']);
    expect(kinds.groups.find((g) => g.key === 'commissioned_test')!.figures).toMatchObject(LAB_A);
    expect(kinds.groups.find((g) => g.key === 'ip')!.figures).toMatchObject(LAB_B);

    const cities = ok<Efficiency>(await efficiency(tk.admin, '&groupBy=region'));
    expect(cities.groups.map((g) => [g.key, g.nameZh])).toEqual([
      ['320100', '南京市'],
      ['320500', '苏州市'],
    ]);
    expect(cities.groups.find((g) => g.key === '320500')!.figures).toMatchObject(LAB_A);

    const suzhou = ok<Efficiency>(await efficiency(cityAdmin, '&groupBy=region'));
    expect(suzhou.region.code).toBe('320500');
    expect(suzhou.overall).toMatchObject(LAB_A);
    expect(suzhou.groups.map((g) => [g.key, g.nameZh])).toEqual([['320506', '吴中区']]);
    const asProvince = ok<Efficiency>(await efficiency(tk.admin, '&region=320500'));
    expect(asProvince.overall).toEqual(suzhou.overall);
  });

  it('lists the worst labs per figure, leaving out a lab at the best value', async () => {
    const e = ok<Efficiency>(await efficiency(tk.admin));
    const worst = (figure: string) => e.worst.filter((w) => w.figure === figure).map((w) => [w.lab.id, w.value]);
    expect(worst('response')).toEqual([
      [labA.id, 8.8],
      [labBId, 6],
    ]);
    expect(worst('onTime')).toEqual([[labA.id, 0.5]]);
    expect(worst('cancellation')).toEqual([[labA.id, 0.3333]]);
    expect(worst('upheldObjection')).toEqual([[labA.id, 0.5]]);
    expect(worst('rating')).toEqual([
      [labBId, 2],
      [labA.id, 4],
    ]);
  });

  it('links each figure to the orders behind it, the worst first', async () => {
    const numbers = async (query: string) =>
      ok<FigureOrders>(await figureOrders(tk.admin, query)).items.map((i) => [i.number, i.value]);
    expect(await numbers('&figure=response')).toEqual([
      [o.o2.order.number, 10],
      [o.o4.order.number, 6],
      [o.o1.order.number, 4],
      [o.o3.order.number, 2],
    ]);
    expect(await numbers('&figure=onTime')).toEqual([
      [o.o2.order.number, 0],
      [o.o1.order.number, 1],
      [o.o4.order.number, 1],
    ]);
    expect((await numbers('&figure=cancellation'))[0]).toEqual([o.o3.order.number, 1]);
    expect(await numbers('&figure=upheldObjection&kind=commissioned_test')).toEqual([
      [o.o2.order.number, 1],
      [o.o1.order.number, 0],
    ]);
    expect(await numbers('&figure=rating&subRegion=320100')).toEqual([[o.o4.order.number, 2]]);
  });
});

describe('instrument utilisation', () => {
  it('counts effective and external-service machine hours per instrument, lab, month and region', async () => {
    const u = ok<Utilisation>(await call(tk.admin, 'GET', '/v1/admin/utilisation?year=2026'));
    const [x, y] = labA.instruments;
    expect(u.instruments.find((i) => i.id === x!.id)).toMatchObject({
      bookings: 3,
      effectiveHours: 6,
      externalHours: 5,
      internalHours: 1,
      sharingRatio: 0.8333,
    });
    expect(u.idle.map((i) => i.id)).toContain(y!.id);
    expect(u.idle.map((i) => i.id)).not.toContain(x!.id);
    // Lab A is the demo institute: its seeded instrument history plus the scenario's two instruments.
    const lab = u.labs.find((l) => l.lab.id === labA.id)!;
    const labBefore = before2026.labs.find((l) => l.lab.id === labA.id)!;
    expect(labBefore.effectiveHours).toBeGreaterThan(0);
    expect(lab).toMatchObject(plus(labBefore, 6, 5));
    expect(lab.instruments).toBe(labBefore.instruments + 2);
    expect(lab.idleInstruments).toBe(labBefore.idleInstruments + 1);
    // The region: the demo seed's instrument history plus the scenario's 6 h (5 h external).
    expect(before2026.totals.effectiveHours).toBeGreaterThan(0);
    expect(before2026.totals.externalHours).toBeGreaterThan(0);
    expect(u.totals).toMatchObject({
      instrumentsBooked: before2026.totals.instrumentsBooked + 1,
      ...plus(before2026.totals, 6, 5),
    });
    expect(u.byMonth).toHaveLength(12);
    expect(u.byMonth[9]).toEqual({ month: 10, ...plus(before2026.byMonth[9]!, 6, 5) });
    expect(u.byMonth[10]).toEqual(before2026.byMonth[10]);
    expect(u.byMonth[11]).toMatchObject({ effectiveHours: 0, sharingRatio: null });

    const other = ok<Utilisation>(await call(tk.admin, 'GET', '/v1/admin/utilisation?year=2025'));
    expect(other.totals).toMatchObject({ instrumentsBooked: 0, effectiveHours: 0, sharingRatio: null });
    expect(other.idle.map((i) => i.id)).toContain(x!.id);
  });

  it('shows a city admin the instruments of their city only', async () => {
    const u = ok<Utilisation>(await call(cityAdmin, 'GET', '/v1/admin/utilisation?year=2026'));
    expect(u.totals).toMatchObject(plus(cityBefore2026.totals, 6, 5));
    expect(u.labs.map((l) => l.lab.id)).toEqual(cityBefore2026.labs.map((l) => l.lab.id));
    expect(u.labs.map((l) => l.lab.id)).toContain(labA.id);
    // Nanjing's labs (the seed's university centre with its own history, lab B) are not in Suzhou.
    expect(u.labs.map((l) => l.lab.id)).not.toContain(labBId);
    expect(u.labs.map((l) => l.lab.id)).not.toContain(OTHER_LAB_ID);
  });
});

describe('who may read the evaluation', () => {
  const urls = [
    `/v1/admin/efficiency?from=${FROM}&to=${TO}`,
    `/v1/admin/efficiency/orders?from=${FROM}&to=${TO}&figure=response`,
    '/v1/admin/utilisation?year=2026',
  ];

  it('answers 404 to a city admin asking about another city or the province above', async () => {
    for (const url of urls) {
      for (const region of ['320100', '320000', '330000']) {
        expectProblem(await call(cityAdmin, 'GET', `${url}&region=${region}`), 404, 'not_found');
      }
      expectProblem(await call(tk.admin, 'GET', `${url}&region=330000`), 404, 'not_found');
      expect((await call(tk.admin, 'GET', `${url}&region=320100`)).statusCode).toBe(200);
    }
    // Another city's lab named as a filter: nothing of it shows.
    expect(ok<FigureOrders>(await figureOrders(cityAdmin, `&figure=response&lab=${labBId}`)).items).toEqual([]);
  });

  it('refuses labs, enterprises and service officers (403) and strangers (401)', async () => {
    for (const url of urls) {
      for (const who of [tk.lab, tk.lab2, tk.sme, tk.officer])
        expectProblem(await call(who, 'GET', url), 403, 'forbidden');
      expectProblem(await t.app.inject({ method: 'GET', url }), 401, 'unauthenticated');
    }
  });

  it('refuses a period that ends before it starts', async () => {
    expectProblem(await call(tk.admin, 'GET', `/v1/admin/efficiency?from=${TO}&to=${FROM}`), 400, 'invalid_range');
  });
});
