import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { aLab, anOrder, api, atTime, ok, serviceId, signIn, USERS, userIdOf } from '../factories/index.ts';

/**
 * The programme's statistics (附件2) from a scenario whose answer is known, in a period the demo seed
 * leaves empty (February and March 2027): enterprises of each size in three cities, two orders through
 * to issued reports (one replaced), instrument bookings checked in and out (one by the lab itself),
 * an assistance visit and an event with attendance. Every figure is asserted for the province, each
 * city, one station and one month, and in the workbook; then who may read them.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });
const PERIOD = 'from=2027-02-01&to=2027-03-31';
const AFTER = '2027-04-01T02:00:00Z';

type Figures = Record<string, unknown> & { byKind: Record<string, number> };
interface Stats extends Figures {
  region: { code: string; level: string };
  bySubRegion: (Figures & { region: { code: string } })[];
  byMonth: (Figures & { month: string })[];
}

let labId: string;
let feeA: number;
let feeB: number;
let kindOfSaltSpray: string;
let tk: { admin: string; suzhou: string; wuzhong: string; lab: string; sme: string };
const call = () => api(t.app);

const q = async <T>(text: string, params: unknown[] = []) => (await t.db.pool.query(text, params)).rows as T[];

async function anEnterprise(name: string, region: string, size: string | null, credit: string): Promise<string> {
  const [row] = await q<{ id: string }>(
    `INSERT INTO organisations (kind, status, name_zh, credit_code, region_code, enterprise_size, industry_code)
     VALUES ('enterprise', 'active', $1, $2, $3, $4, 'C') RETURNING id`,
    [name, credit, region, size],
  );
  return row!.id;
}

/** A platform admin of an existing platform (by its region), signed in. */
async function adminOf(region: string, email: string): Promise<string> {
  const [user] = await q<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT $1, password_hash, '统计管理员' FROM users WHERE email = $2 RETURNING id`,
    [email, USERS.admin],
  );
  await q(
    `INSERT INTO memberships (user_id, org_id, role)
     SELECT $1, id, 'admin' FROM organisations WHERE kind = 'platform' AND region_code = $2`,
    [user!.id, region],
  );
  return login(t.app, email);
}

/** A checked-out booking as the check-out writes it: actual times, billable minutes and the billed amount. */
async function aCheckedOutBooking(b: {
  instrumentId: string;
  customer: string;
  start: string;
  end: string;
  actualEnd: string;
  billedDiscountFen?: number;
  status?: string;
}) {
  const userId = await userIdOf(t.db, USERS.lab);
  await q(
    `INSERT INTO bookings (instrument_id, unit_id, lab_id, customer_org_id, user_id, mode, status, starts_at, ends_at,
       occupied, rate_tier, price_amount, policy, hourly_rate, actual_start, actual_end, billable_minutes, billed_amount)
     SELECT i.id, u.id, i.lab_id, $2, $3, 'assisted', $7::booking_status, $4::timestamptz, $5::timestamptz,
       tstzrange($4::timestamptz, $5::timestamptz), 'external', 0, '{}'::jsonb, i.external_rate_hour,
       $4::timestamptz, CASE WHEN $7::text = 'completed' THEN $6::timestamptz END,
       round(extract(epoch FROM $6::timestamptz - $4::timestamptz) / 60),
       round(i.external_rate_hour * extract(epoch FROM $6::timestamptz - $4::timestamptz) / 3600) - $8
     FROM instruments i JOIN instrument_units u ON u.instrument_id = i.id
     WHERE i.id = $1 ORDER BY u.id LIMIT 1`,
    [
      b.instrumentId,
      b.customer,
      userId,
      b.start,
      b.end,
      b.actualEnd,
      b.status ?? 'completed',
      b.billedDiscountFen ?? 0,
    ],
  );
}

/** The lab issues the order's report (an original, or a replacement of `replaces`) at `at`. */
async function reportIssued(orderId: string, at: string, replaces?: string): Promise<string> {
  const n = Math.floor(Math.random() * 1e6);
  const [r] = await q<{ id: string }>(
    `INSERT INTO reports (order_id, lab_id, number, status, verification_code, issued_at, replaces_report_id)
     VALUES ($1, $2, $3, 'issued', $4, $5, $6) RETURNING id`,
    [orderId, labId, `SZTI-2027-S${n}`, `STAT${n}`, at, replaces ?? null],
  );
  if (replaces)
    await q(`UPDATE reports SET status = 'replaced', replaced_by_report_id = $1 WHERE id = $2`, [r!.id, replaces]);
  else await q(`UPDATE orders SET status = 'report_issued', report_issued_at = $2 WHERE id = $1`, [orderId, at]);
  return r!.id;
}

beforeAll(async () => {
  const lab = await aLab(t).withDefaultOrderTerms().create();
  labId = lab.id;
  const saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  kindOfSaltSpray = (await q<{ kind: string }>(`SELECT kind FROM services WHERE id = $1`, [saltSpray]))[0]!.kind;
  const hengrui = (
    await q<{ id: string }>(
      `SELECT org_id AS id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`,
      [USERS.sme],
    )
  )[0]!.id;
  const chengrui = (
    await q<{ id: string }>(
      `SELECT org_id AS id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`,
      [USERS.sme2],
    )
  )[0]!.id;
  const micro = await anEnterprise('苏州虎丘微型电子厂', '320505', 'micro', '91320505MA1STAT01X');
  const large = await anEnterprise('南京栖霞重工集团', '320113', 'large', '91320113MA1STAT02X');
  const unsized = await anEnterprise('吴中未填规模企业', '320506', null, '91320506MA1STAT03X');

  // Two orders through to issued reports: the small enterprise in Suzhou (its report replaced once)
  // and the medium one in Wuxi; both charged when accepted (the ledger's charge lands in February).
  const a = await atTime(clock, '2027-02-10T02:00:00Z', async () => {
    const s = await signIn(t.app, ['sme', 'lab']);
    return anOrder(t, { customer: s.sme, lab: s.lab, labId }).ofService(saltSpray, 24).accepted();
  });
  const b = await atTime(clock, '2027-02-12T02:00:00Z', async () => {
    const s = await signIn(t.app, ['sme2', 'lab']);
    return anOrder(t, { customer: s.sme2, lab: s.lab, labId }).ofService(saltSpray, 48).accepted();
  });
  feeA = a.order.total.amount;
  feeB = b.order.total.amount;
  const first = await reportIssued(a.order.id, '2027-02-20T06:00:00Z');
  await reportIssued(a.order.id, '2027-03-05T06:00:00Z', first);
  await reportIssued(b.order.id, '2027-03-10T06:00:00Z');
  const rater = await userIdOf(t.db, USERS.sme);
  await q(
    `INSERT INTO order_ratings (order_id, lab_id, score, rated_by, rated_at) VALUES ($1, $2, 5, $3, '2027-03-12T02:00:00Z')`,
    [a.order.id, labId, rater],
  );
  await q(
    `INSERT INTO order_ratings (order_id, lab_id, score, rated_by, rated_at) VALUES ($1, $2, 4, $3, '2027-03-12T03:00:00Z')`,
    [b.order.id, labId, rater],
  );

  // Instruments of the lab (in Wuzhong): the micro enterprise 2 h in February (1,000 fen below list),
  // the large one 2.5 h in March on another instrument, the lab's own use 1 h, and one still in use.
  const [x, y] = await q<{ id: string }>(
    `SELECT id FROM instruments WHERE lab_id = $1 AND external_rate_hour IS NOT NULL AND status = 'active' ORDER BY id LIMIT 2`,
    [labId],
  );
  await aCheckedOutBooking({
    instrumentId: x!.id,
    customer: micro,
    start: '2027-02-15T01:00:00Z',
    end: '2027-02-15T03:00:00Z',
    actualEnd: '2027-02-15T03:00:00Z',
    billedDiscountFen: 1000,
  });
  await aCheckedOutBooking({
    instrumentId: y!.id,
    customer: large,
    start: '2027-03-03T02:00:00Z',
    end: '2027-03-03T05:00:00Z',
    actualEnd: '2027-03-03T04:30:00Z',
  });
  await aCheckedOutBooking({
    instrumentId: x!.id,
    customer: labId,
    start: '2027-03-04T02:00:00Z',
    end: '2027-03-04T03:00:00Z',
    actualEnd: '2027-03-04T03:00:00Z',
  });
  await aCheckedOutBooking({
    instrumentId: y!.id,
    customer: hengrui,
    start: '2027-03-20T02:00:00Z',
    end: '2027-03-20T03:00:00Z',
    actualEnd: '2027-03-20T03:00:00Z',
    status: 'in_use',
  });

  // An assistance visit to the small enterprise: 3 problems found, 2 solved.
  const officer = await userIdOf(t.db, USERS.officer);
  const [req] = await q<{ id: string }>(
    `INSERT INTO assistance_requests (enterprise_id, requested_by, title_zh, problem_zh, status) VALUES ($1, $2, '盐雾不合格', '镀层盐雾试验不合格', 'resolved') RETURNING id`,
    [hengrui, rater],
  );
  await q(
    `INSERT INTO assistance_visits (request_id, visited_on, recorded_by, notes_zh, problems_found, problems_solved) VALUES ($1, '2027-03-08', $2, '现场走访', 3, 2)`,
    [req!.id, officer],
  );

  // The Wuzhong station's course on 15 March: two people of the small enterprise and one of the
  // unsized one attended, the medium one's person did not come.
  const [station] = await q<{ id: string }>(
    `SELECT id FROM organisations WHERE kind = 'platform' AND region_code = '320506'`,
  );
  const [ev] = await q<{ id: string }>(
    `INSERT INTO events (organiser_org_id, kind, title_zh, status) VALUES ($1, 'course', '盐雾试验标准宣贯', 'published') RETURNING id`,
    [station!.id],
  );
  const [session] = await q<{ id: string }>(
    `INSERT INTO event_sessions (event_id, starts_at, ends_at, seats, seats_taken) VALUES ($1, '2027-03-15T01:00:00Z', '2027-03-15T03:00:00Z', 30, 4) RETURNING id`,
    [ev!.id],
  );
  const people = await Promise.all(
    ['sme', 'sme2', 'lab', 'officer'].map((w) => userIdOf(t.db, USERS[w as keyof typeof USERS])),
  );
  const regs: [string, string, string][] = [
    [people[0]!, hengrui, 'attended'],
    [people[3]!, hengrui, 'attended'],
    [people[2]!, unsized, 'attended'],
    [people[1]!, chengrui, 'absent'],
  ];
  for (const [user, org, status] of regs) {
    await q(`INSERT INTO event_registrations (session_id, user_id, org_id, status) VALUES ($1, $2, $3, $4)`, [
      session!.id,
      user,
      org,
      status,
    ]);
  }

  clock.now = new Date(AFTER);
  const s = await signIn(t.app, ['admin', 'lab', 'sme']);
  tk = {
    ...s,
    suzhou: await adminOf('320500', 'stats-suzhou@demo.qihub.test'),
    wuzhong: await adminOf('320506', 'stats-wuzhong@demo.qihub.test'),
  };
});

const kinds = (k: Record<string, number>) => ({
  instrument_time: 0,
  outsourced_experiment: 0,
  commissioned_test: 0,
  calibration: 0,
  standards: 0,
  certification: 0,
  quality_management: 0,
  technical_assistance: 0,
  training: 0,
  ip: 0,
  brand: 0,
  ...k,
});

async function stats(token: string, region: string, period = PERIOD): Promise<Stats> {
  return ok<Stats>(await call()(token, 'GET', `/v1/admin/statistics?region=${region}&${period}`));
}

describe('the statistics of a known scenario', () => {
  it('the province: every figure', async () => {
    const s = await stats(tk.admin, '320000');
    expect(s.region).toMatchObject({ code: '320000', level: 'province' });
    const { region: _r, from: _f, to: _t, timeZone: _z, bySubRegion: _s, byMonth: _m, ...figures } = s;
    expect(figures).toEqual({
      enterprisesServed: 5,
      // 2 original reports + 2 bookings checked out + 1 visit + 2 enterprises at the session.
      serviceTimes: 7,
      microSmallShare: 0.5,
      byKind: kinds({ [kindOfSaltSpray]: 2, instrument_time: 2, technical_assistance: 1, training: 2 }),
      instrumentsShared: 2,
      sharedMachineHours: 5.5,
      externalServiceHours: 4.5,
      ordersCompleted: 2,
      reportsIssued: 3,
      assistanceVisits: 1,
      problemsSolved: 2,
      trainingAttendees: 3,
      eventsHeld: 1,
      feesChargedFen: feeA + feeB,
      voucherAmountFen: 0,
      costSavedFen: 1000,
      averageRating: 4.5,
    });
    expect(feeA).toBeGreaterThan(0);
    expect(s.bySubRegion.map((r) => r.region.code)).toEqual(['320100', '320200', '320500']);
    const [nanjing, wuxi, suzhou] = s.bySubRegion;
    expect(nanjing).toMatchObject({
      enterprisesServed: 1,
      serviceTimes: 1,
      microSmallShare: 0,
      byKind: kinds({ instrument_time: 1 }),
      // The booking counts where the enterprise is; the machine hours where the lab is (Suzhou).
      instrumentsShared: 0,
      sharedMachineHours: 0,
      costSavedFen: 0,
      averageRating: null,
    });
    expect(wuxi).toMatchObject({
      enterprisesServed: 1,
      serviceTimes: 1,
      microSmallShare: 0,
      byKind: kinds({ [kindOfSaltSpray]: 1 }),
      ordersCompleted: 1,
      reportsIssued: 1,
      feesChargedFen: feeB,
      averageRating: 4,
      eventsHeld: 0,
    });
    expect(suzhou).toMatchObject({
      enterprisesServed: 3,
      serviceTimes: 5,
      microSmallShare: 1,
      byKind: kinds({ [kindOfSaltSpray]: 1, instrument_time: 1, technical_assistance: 1, training: 2 }),
      instrumentsShared: 2,
      sharedMachineHours: 5.5,
      externalServiceHours: 4.5,
      ordersCompleted: 1,
      reportsIssued: 2,
      assistanceVisits: 1,
      problemsSolved: 2,
      trainingAttendees: 3,
      eventsHeld: 1,
      feesChargedFen: feeA,
      costSavedFen: 1000,
      averageRating: 5,
    });
  });

  it('by month: February and March', async () => {
    const s = await stats(tk.admin, '320000');
    expect(s.byMonth.map((m) => m.month)).toEqual(['2027-02', '2027-03']);
    const [feb, mar] = s.byMonth;
    expect(feb).toMatchObject({
      enterprisesServed: 2,
      serviceTimes: 2,
      byKind: kinds({ [kindOfSaltSpray]: 1, instrument_time: 1 }),
      instrumentsShared: 1,
      sharedMachineHours: 2,
      externalServiceHours: 2,
      ordersCompleted: 1,
      reportsIssued: 1,
      feesChargedFen: feeA + feeB,
      costSavedFen: 1000,
      averageRating: null,
      eventsHeld: 0,
    });
    expect(mar).toMatchObject({
      enterprisesServed: 4,
      serviceTimes: 5,
      byKind: kinds({ [kindOfSaltSpray]: 1, instrument_time: 1, technical_assistance: 1, training: 2 }),
      // The lab's own hour on the first instrument is machine time, not sharing.
      instrumentsShared: 1,
      sharedMachineHours: 3.5,
      externalServiceHours: 2.5,
      ordersCompleted: 1,
      reportsIssued: 2,
      assistanceVisits: 1,
      problemsSolved: 2,
      trainingAttendees: 3,
      eventsHeld: 1,
      feesChargedFen: 0,
      averageRating: 4.5,
    });
  });

  it('a city: its districts; a station: the enterprises registered in its district', async () => {
    const city = await stats(tk.suzhou, '320500');
    expect(city).toMatchObject({ enterprisesServed: 3, serviceTimes: 5, feesChargedFen: feeA, eventsHeld: 1 });
    const huqiu = city.bySubRegion.find((r) => r.region.code === '320505')!;
    const wuzhong = city.bySubRegion.find((r) => r.region.code === '320506')!;
    expect(huqiu).toMatchObject({
      enterprisesServed: 1,
      serviceTimes: 1,
      microSmallShare: 1,
      costSavedFen: 1000,
      sharedMachineHours: 0,
    });
    expect(wuzhong).toMatchObject({ enterprisesServed: 2, serviceTimes: 4, sharedMachineHours: 5.5 });

    const station = await stats(tk.wuzhong, '320506');
    const { region: _r, from: _f, to: _t, timeZone: _z, bySubRegion, byMonth: _m, ...figures } = station;
    expect(bySubRegion).toEqual([]);
    expect(figures).toEqual({
      enterprisesServed: 2,
      serviceTimes: 4,
      // Of the two served, only the small one said its size.
      microSmallShare: 1,
      byKind: kinds({ [kindOfSaltSpray]: 1, technical_assistance: 1, training: 2 }),
      instrumentsShared: 2,
      sharedMachineHours: 5.5,
      externalServiceHours: 4.5,
      ordersCompleted: 1,
      reportsIssued: 2,
      assistanceVisits: 1,
      problemsSolved: 2,
      trainingAttendees: 3,
      eventsHeld: 1,
      feesChargedFen: feeA,
      voucherAmountFen: 0,
      costSavedFen: 0,
      averageRating: 5,
    });
  });

  it('is live: an order issued a minute ago is counted', async () => {
    const before = await stats(tk.admin, '320000', 'from=2027-04-01&to=2027-04-01');
    const [o] = await q<{ id: string }>(
      `SELECT o.id FROM orders o WHERE o.lab_id = $1 AND o.report_issued_at IS NULL AND o.customer_org_id IN
         (SELECT id FROM organisations WHERE kind = 'enterprise') LIMIT 1`,
      [labId],
    );
    await reportIssued(o!.id, new Date(clock.now.getTime() - 60_000).toISOString());
    const after = await stats(tk.admin, '320000', 'from=2027-04-01&to=2027-04-01');
    expect(after.serviceTimes).toBe((before.serviceTimes as number) + 1);
    expect(after.ordersCompleted).toBe((before.ordersCompleted as number) + 1);
  });

  it('the workbook: one row per sub-region under merged group headers, the total last', async () => {
    const res = await call()(tk.admin, 'GET', `/v1/admin/statistics?region=320000&${PERIOD}&format=xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('B3').value).toBe('服务企业 Enterprises');
    expect(ws.getCell('B3').isMerged).toBe(true);
    const headers = (ws.getRow(4).values as unknown[]).slice(1);
    const col = (prefix: string) => headers.findIndex((h) => typeof h === 'string' && h.startsWith(prefix)) + 1;
    const row = (label: string) => {
      for (let r = 5; r <= ws.rowCount; r++)
        if (String(ws.getRow(r).getCell(1).value).includes(label)) return ws.getRow(r);
      throw new Error(`no row ${label}`);
    };
    const cell = (label: string, header: string) => row(label).getCell(col(header)).value;
    expect(ws.rowCount).toBe(4 + 3 + 1);
    expect(cell('320500', '服务企业数')).toBe(3);
    expect(cell('320500', '服务家次')).toBe(5);
    expect(cell('320500', '共享机时')).toBe(5.5);
    expect(cell('320500', '服务收费')).toBe(feeA / 100);
    expect(cell('320500', '节约成本')).toBe(10);
    expect(cell('320200', '平均评分')).toBe(4);
    expect(cell('320100', '平均评分')).toBe(null);
    expect(cell('320100', '仪器共享')).toBe(1);
    expect(cell('合计', '服务家次')).toBe(7);
    expect(cell('合计', '小微企业占比')).toBe(0.5);
    expect(cell('合计', '出具报告')).toBe(3);
    expect(cell('合计', '举办活动')).toBe(1);
  });

  it('the CSV: the total, each sub-region, each month', async () => {
    const res = await call()(tk.admin, 'GET', `/v1/admin/statistics?region=320000&${PERIOD}&format=csv`);
    expect(res.statusCode).toBe(200);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const header = lines[0]!.split(',');
    expect(lines).toHaveLength(1 + 1 + 3 + 2);
    const total = lines[1]!.split(',');
    expect(total[header.indexOf('serviceTimes')]).toBe('7');
    expect(total[header.indexOf('feesChargedFen')]).toBe(String(feeA + feeB));
  });
});

describe('who may read the statistics', () => {
  it('a city admin gets 404 for another city and for the province; their own region by default', async () => {
    expectProblem(await call()(tk.suzhou, 'GET', `/v1/admin/statistics?region=320200&${PERIOD}`), 404, 'not_found');
    expectProblem(await call()(tk.suzhou, 'GET', `/v1/admin/statistics?region=320000&${PERIOD}`), 404, 'not_found');
    expectProblem(await call()(tk.wuzhong, 'GET', `/v1/admin/statistics?region=320505&${PERIOD}`), 404, 'not_found');
    const own = ok<Stats>(await call()(tk.suzhou, 'GET', `/v1/admin/statistics?${PERIOD}`));
    expect(own.region.code).toBe('320500');
  });

  it('labs and enterprises are refused', async () => {
    for (const who of [tk.lab, tk.sme]) {
      expectProblem(await call()(who, 'GET', `/v1/admin/statistics?region=320000&${PERIOD}`), 403, 'forbidden');
    }
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/admin/statistics?${PERIOD}` }), 401, 'unauthenticated');
  });

  it('a period backwards or longer than two years is refused', async () => {
    expectProblem(
      await call()(tk.admin, 'GET', '/v1/admin/statistics?from=2027-03-01&to=2027-02-01'),
      422,
      'invalid_span',
    );
    expectProblem(
      await call()(tk.admin, 'GET', '/v1/admin/statistics?from=2025-01-01&to=2027-12-31'),
      422,
      'invalid_span',
    );
    expectProblem(
      await call()(tk.admin, 'GET', '/v1/admin/statistics?from=2027-02-30&to=2027-03-01'),
      400,
      'validation_failed',
    );
  });
});

describe('the enterprises of a region', () => {
  interface EnterpriseItem {
    id: string;
    nameZh: string;
    regionCode: string;
    size: string | null;
    industryCode: string | null;
    officer: { id: string; name: string } | null;
  }
  const list = async (token: string, query: string) =>
    ok<{ items: EnterpriseItem[]; nextCursor: string | null }>(
      await call()(token, 'GET', `/v1/admin/enterprises?limit=100${query}`),
    );

  it('a province admin sees every enterprise of the province with size, industry and officer', async () => {
    const { items } = await list(tk.admin, '');
    expect(items.every((e) => e.regionCode.startsWith('32'))).toBe(true);
    expect(items.find((e) => e.nameZh === '苏州虎丘微型电子厂')).toMatchObject({ size: 'micro', industryCode: 'C' });
    expect(items.find((e) => e.nameZh === '吴中未填规模企业')).toMatchObject({ size: null });
    // The demo seed fills the size of its enterprises.
    expect(items.filter((e) => e.size === null).map((e) => e.nameZh)).toEqual(['吴中未填规模企业']);
  });

  it('a city admin sees their city only, and 404 for another', async () => {
    const { items } = await list(tk.suzhou, '');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.regionCode.startsWith('3205'))).toBe(true);
    expectProblem(await call()(tk.suzhou, 'GET', '/v1/admin/enterprises?region=320200'), 404, 'not_found');
    const huqiu = await list(tk.suzhou, '&region=320505');
    expect(huqiu.items.map((e) => e.nameZh)).toEqual(['苏州虎丘微型电子厂']);
  });

  it('names and removes an officer, and lists who may be named', async () => {
    const officers = ok<{ items: { id: string; platform: { regionCode: string } }[] }>(
      await call()(tk.suzhou, 'GET', '/v1/admin/service-officers'),
    );
    const officer = officers.items.find((o) => o.platform.regionCode === '320506')!;
    expect(officer).toBeDefined();
    const unsized = (await list(tk.suzhou, '&region=320506')).items.find((e) => e.nameZh === '吴中未填规模企业')!;
    ok(await call()(tk.suzhou, 'PUT', `/v1/enterprises/${unsized.id}/officer`, { officerUserId: officer.id }));
    expect((await list(tk.suzhou, '&region=320506')).items.find((e) => e.id === unsized.id)!.officer?.id).toBe(
      officer.id,
    );
    ok(await call()(tk.suzhou, 'DELETE', `/v1/enterprises/${unsized.id}/officer`));
    expect((await list(tk.suzhou, '&region=320506')).items.find((e) => e.id === unsized.id)!.officer).toBeNull();
  });

  it('labs and enterprises are refused', async () => {
    for (const who of [tk.lab, tk.sme]) {
      expectProblem(await call()(who, 'GET', '/v1/admin/enterprises'), 403, 'forbidden');
      expectProblem(await call()(who, 'GET', '/v1/admin/service-officers'), 403, 'forbidden');
    }
  });
});
