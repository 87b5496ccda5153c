import { beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers } from '@qihub/api/jobs';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/** Calibration records of customers' own instruments: who records and sees them, and recall reminders. */
const clock = testClock(new Date('2026-11-26T02:00:00Z')); // 2026-11-26 10:00 in Shanghai
const t = useSeededApp({ clock });

type Who = 'sme' | 'sme2' | 'lab' | 'operator' | 'lab2' | 'officer';
const tok = {} as Record<Who, string>;
let smeOrg: string;
let sme2Org: string;
let labId: string;
let lab2Id: string;
let newcomerOrg: string;

/** An order of `customerOrgId` with `lab` (a lab records certificates only for its customers). */
async function anOrder(customerOrgId: string, lab: string) {
  await t.db.pool.query(
    `INSERT INTO orders (number, customer_org_id, lab_id, requested_by, title_zh)
     SELECT 'QC' || substr(md5(random()::text), 1, 10), $1, $2, m.user_id, '仪器校准'
     FROM memberships m WHERE m.org_id = $1 LIMIT 1`,
    [customerOrgId, lab],
  );
}

interface RecordBody {
  id: string;
  customer: { id: string };
  lab: { id: string };
  instrumentName: string;
  serialNumber: string;
  calibratedOn: string;
  nextDueOn: string;
  daysLeft: number;
  status: string;
  recallRemindedAt: string | null;
}

beforeAll(async () => {
  // The demo seed has its own officers, records, requests and events: start this file from none.
  await t.db.pool.query('DELETE FROM calibration_records');
  smeOrg = await orgOf(t.db, USERS.sme);
  sme2Org = await orgOf(t.db, USERS.sme2);
  labId = await orgOf(t.db, USERS.lab);
  lab2Id = await orgOf(t.db, USERS.lab2);
  await anOrder(smeOrg, labId);
  await anOrder(sme2Org, labId);
  await anOrder(smeOrg, lab2Id);
  // An enterprise on the platform that has never ordered anything.
  const { rows } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO organisations (kind, name_zh, region_code, credit_code) SELECT 'enterprise', '从未下单的企业', region_code, $2
     FROM organisations WHERE id = $1 RETURNING id`,
    [smeOrg, '91320594MA1TEXT01' + creditCodeCheckCharacter('91320594MA1TEXT01')],
  );
  newcomerOrg = rows[0]!.id;
  for (const k of ['sme', 'sme2', 'lab', 'operator', 'lab2', 'officer'] as const) tok[k] = await login(t.app, USERS[k]);
});

const post = (url: string, who: Who | null, payload: object) =>
  t.app.inject({ method: 'POST', url, payload, ...(who ? { headers: bearer(tok[who]) } : {}) });
const get = (url: string, who: Who | null) =>
  t.app.inject({ method: 'GET', url, ...(who ? { headers: bearer(tok[who]) } : {}) });

const record = (customerOrgId: string, serialNumber: string, calibratedOn: string, nextDueOn: string) => ({
  customerOrgId,
  instrumentName: '数显千分尺',
  model: 'MDC-25PX',
  serialNumber,
  measuringRange: '0–25 mm',
  accuracyClass: 'MPE ±1 µm',
  method: 'calibration',
  calibratedOn,
  nextDueOn,
});

const sweep = async () => {
  const handler = createJobHandlers({ db: t.db.db, dispatch: async () => {}, clock: () => clock.now }).find(
    (h) => h.name === 'calibration.recall-reminders',
  )!;
  await handler.handle({}, { jobId: 'calibration.recall-reminders:test' });
};

async function recallNotes() {
  const { rows } = await t.db.pool.query<{
    email: string;
    dedupe_key: string;
    title_zh: string;
    title_en: string;
    link: string;
  }>(
    `SELECT u.email, n.dedupe_key, n.title_zh, n.title_en, n.link FROM notifications n JOIN users u ON u.id = n.user_id
     WHERE n.kind = 'calibration_recall' ORDER BY n.dedupe_key`,
  );
  return rows;
}

describe('calibration records', () => {
  it('a lab records certificates; the customer sees days left and status, soonest due first', async () => {
    const url = `/v1/labs/${labId}/calibration-records`;
    const soon = await post(url, 'lab', record(smeOrg, 'SN-SOON', '2025-12-10', '2026-12-10'));
    expect(soon.statusCode, soon.body).toBe(201);
    expect(soon.json<RecordBody>()).toMatchObject({
      customer: { id: smeOrg },
      lab: { id: labId },
      serialNumber: 'SN-SOON',
      daysLeft: 14,
      status: 'due_soon',
      recallRemindedAt: null,
    });
    expect((await post(url, 'lab', record(smeOrg, 'SN-EDGE', '2025-12-26', '2026-12-26'))).statusCode).toBe(201);
    expect((await post(url, 'lab', record(smeOrg, 'SN-LATER', '2025-12-27', '2026-12-27'))).statusCode).toBe(201);
    expect((await post(url, 'lab', record(smeOrg, 'SN-LATE', '2025-11-20', '2026-11-20'))).statusCode).toBe(201);
    expect((await post(url, 'lab', record(sme2Org, 'SN-B', '2026-01-01', '2026-12-01'))).statusCode).toBe(201);

    const mine = await get('/v1/me/calibration-records', 'sme');
    expect(mine.statusCode, mine.body).toBe(200);
    const items = mine.json<{ items: RecordBody[] }>().items;
    expect(items.map((i) => [i.serialNumber, i.daysLeft, i.status])).toEqual([
      ['SN-LATE', -6, 'overdue'],
      ['SN-SOON', 14, 'due_soon'],
      ['SN-EDGE', 30, 'due_soon'],
      ['SN-LATER', 31, 'ok'],
    ]);
    const overdue = await get('/v1/me/calibration-records?status=overdue', 'sme');
    expect(overdue.json<{ items: RecordBody[] }>().items.map((i) => i.serialNumber)).toEqual(['SN-LATE']);
    // Each enterprise sees only its own instruments.
    const theirs = await get('/v1/me/calibration-records', 'sme2');
    expect(theirs.json<{ items: RecordBody[] }>().items.map((i) => i.serialNumber)).toEqual(['SN-B']);
  });

  it('the lab sees what it issued; other labs, customers and strangers do not', async () => {
    const url = `/v1/labs/${labId}/calibration-records`;
    const issued = await get(url, 'operator');
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json<{ items: RecordBody[] }>().items).toHaveLength(5);
    expectProblem(await get(url, 'lab2'), 403, 'forbidden');
    expectProblem(await get(url, 'sme'), 403, 'forbidden');
    expectProblem(await get(url, null), 401, 'unauthenticated');
    // Labs have no "my instruments" list.
    expectProblem(await get('/v1/me/calibration-records', 'lab'), 403, 'forbidden');
  });

  it('only managers and staff record, with valid dates and an enterprise as customer', async () => {
    const url = `/v1/labs/${labId}/calibration-records`;
    expectProblem(await post(url, 'operator', record(smeOrg, 'X1', '2026-01-01', '2027-01-01')), 403, 'forbidden');
    expectProblem(await post(url, 'lab2', record(smeOrg, 'X1', '2026-01-01', '2027-01-01')), 403, 'forbidden');
    expectProblem(await post(url, 'sme', record(smeOrg, 'X1', '2026-01-01', '2027-01-01')), 403, 'forbidden');
    const dates = expectProblem(
      await post(url, 'lab', record(smeOrg, 'X1', '2026-01-01', '2026-01-01')),
      422,
      'invalid_due_date',
    );
    expect(dates.errors?.[0]?.path).toBe('/nextDueOn');
    expectProblem(
      await post(url, 'lab', record(smeOrg, 'X1', '2026-11-27', '2027-11-27')),
      422,
      'calibrated_in_future',
    );
    expectProblem(await post(url, 'lab', record(labId, 'X1', '2026-01-01', '2027-01-01')), 422, 'unknown_customer');
    // Not this lab's customer: an enterprise without a single order here.
    const stranger = expectProblem(
      await post(url, 'lab', record(newcomerOrg, 'X1', '2026-01-01', '2027-01-01')),
      422,
      'not_a_customer',
    );
    expect(stranger.errors?.[0]?.path).toBe('/customerOrgId');
    expectProblem(
      await post(url, 'lab', record(smeOrg, '   ', '2026-01-01', '2027-01-01')),
      422,
      'invalid_serial_number',
    );
    expectProblem(
      await post(url, 'lab', { ...record(smeOrg, 'X1', '2026-01-01', '2027-01-01'), method: 'guess' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await post(url, 'lab', { ...record(smeOrg, 'X1', '2026-13-01', '2027-01-01') }),
      400,
      'validation_failed',
    );
    expectProblem(await post(url, 'lab', { customerOrgId: smeOrg }), 400, 'validation_failed');
    const { rows } = await t.db.pool.query(`SELECT 1 FROM calibration_records WHERE serial_number = 'X1'`);
    expect(rows).toHaveLength(0);
  });
});

describe('recall reminders', () => {
  it('remind every member of the customer once for records due within 30 days, across two sweeps', async () => {
    await sweep();
    await sweep();
    const notes = await recallNotes();
    const serials = (email: string) =>
      notes
        .filter((n) => n.email === email)
        .map((n) => n.title_zh)
        .sort();
    expect(serials(USERS.sme)).toHaveLength(3);
    expect(serials(USERS.sme).some((s) => s.includes('SN-LATER'))).toBe(false);
    expect(serials(USERS.sme).filter((s) => s.startsWith('仪器校准已过期'))).toHaveLength(1);
    expect(serials(USERS.sme2)).toHaveLength(1);
    expect(notes.every((n) => n.link === '/calibration' && n.title_en.length > 0)).toBe(true);
    expect(notes.map((n) => n.dedupe_key)).toEqual([...new Set(notes.map((n) => n.dedupe_key))]);

    const mine = (await get('/v1/me/calibration-records', 'sme')).json<{ items: RecordBody[] }>().items;
    expect(mine.filter((i) => i.recallRemindedAt !== null).map((i) => i.serialNumber)).toEqual([
      'SN-LATE',
      'SN-SOON',
      'SN-EDGE',
    ]);
  });

  it('a record coming into the window is reminded the day it does; two concurrent sweeps send it once', async () => {
    clock.advance(86_400_000); // 2026-11-27: SN-LATER is 30 days away
    tok.lab = await login(t.app, USERS.lab);
    tok.sme = await login(t.app, USERS.sme);
    // Another member of the enterprise is told as well.
    await t.db.pool.query(
      `INSERT INTO memberships (user_id, org_id, role) SELECT u.id, $1, 'member' FROM users u WHERE u.email = $2`,
      [smeOrg, USERS.officer],
    );
    for (let i = 0; i < 5; i++) {
      await post(
        `/v1/labs/${labId}/calibration-records`,
        'lab',
        record(smeOrg, `SN-RACE-${i}`, '2026-01-05', '2026-12-05'),
      );
    }
    await Promise.all([sweep(), sweep(), sweep()]);
    const notes = await recallNotes();
    const later = notes.filter((n) => n.title_zh.includes('SN-LATER'));
    expect(later.map((n) => n.email).sort()).toEqual([USERS.officer, USERS.sme].sort());
    for (let i = 0; i < 5; i++) {
      expect(notes.filter((n) => n.title_zh.includes(`SN-RACE-${i}`))).toHaveLength(2);
    }
    // Earlier reminders are not repeated for the new member.
    expect(notes.filter((n) => n.title_zh.includes('SN-SOON')).map((n) => n.email)).toEqual([USERS.sme]);
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM calibration_records WHERE recall_reminded_at IS NULL`,
    );
    expect(rows[0]!.n).toBe(0);
  });
});

describe('a recalibrated instrument', () => {
  it('its newer certificate supersedes the old one: listed once, history on request, never recalled', async () => {
    const url = `/v1/labs/${labId}/calibration-records`;
    const renewed = await post(url, 'lab', record(smeOrg, 'SN-SOON', '2026-11-27', '2027-11-27'));
    expect(renewed.statusCode, renewed.body).toBe(201);
    const current = (await get('/v1/me/calibration-records?serialNumber=SN-SOON', 'sme')).json<{
      items: (RecordBody & { supersededBy: string | null })[];
    }>().items;
    expect(current.map((i) => [i.calibratedOn, i.status, i.supersededBy])).toEqual([['2026-11-27', 'ok', null]]);
    const history = (await get('/v1/me/calibration-records?serialNumber=SN-SOON&history=true', 'sme')).json<{
      items: (RecordBody & { supersededBy: string | null })[];
    }>().items;
    expect(history.map((i) => [i.calibratedOn, i.supersededBy])).toEqual([
      ['2025-12-10', renewed.json<RecordBody>().id],
      ['2026-11-27', null],
    ]);

    // An old overdue certificate recorded after its renewal: nothing to recall.
    await post(url, 'lab', record(smeOrg, 'SN-OLD', '2026-01-02', '2027-01-02'));
    await post(url, 'lab', record(smeOrg, 'SN-OLD', '2025-01-01', '2026-01-01'));
    await sweep();
    expect((await recallNotes()).filter((n) => n.title_zh.includes('SN-OLD'))).toEqual([]);
  });
});

describe('records of another lab', () => {
  it("never hide a lab's certificate: only the same lab's newer record of the same serial supersedes", async () => {
    const lab2Url = `/v1/labs/${lab2Id}/calibration-records`;
    // lab2 has no order from sme2's enterprise: refused.
    expectProblem(
      await post(lab2Url, 'lab2', record(sme2Org, 'SN-B', '2026-11-01', '2027-11-01')),
      422,
      'not_a_customer',
    );
    // lab2 does have an order from sme's enterprise: its record stands beside lab@'s, hiding nothing.
    const theirs = await post(lab2Url, 'lab2', record(smeOrg, 'SN-LATER', '2026-11-20', '2027-11-20'));
    expect(theirs.statusCode, theirs.body).toBe(201);
    const items = (await get('/v1/me/calibration-records?serialNumber=SN-LATER', 'sme')).json<{
      items: (RecordBody & { supersededBy: string | null })[];
    }>().items;
    expect(items.map((i) => [i.lab.id, i.calibratedOn, i.supersededBy]).sort()).toEqual(
      [
        [labId, '2025-12-27', null],
        [lab2Id, '2026-11-20', null],
      ].sort(),
    );
  });

  it('records without a serial number (from certificates) never supersede each other', async () => {
    await t.db.pool.query(
      `INSERT INTO calibration_records (customer_org_id, lab_id, instrument_name, serial_number, calibrated_on, next_due_on, created_at)
       VALUES ($1, $2, '游标卡尺', '', '2026-10-01', '2027-10-01', now() - interval '1 minute'),
              ($1, $2, '钢直尺', '', '2026-10-02', '2027-10-02', now())`,
      [smeOrg, labId],
    );
    const mine = (await get('/v1/me/calibration-records', 'sme')).json<{
      items: (RecordBody & { supersededBy: string | null })[];
    }>().items;
    expect(
      mine
        .filter((i) => i.serialNumber === '')
        .map((i) => i.instrumentName)
        .sort(),
    ).toEqual(['游标卡尺', '钢直尺'].sort());
  });
});

describe('an instrument with a long calibration history', () => {
  it('lists its current certificate however many older ones it has, and pages through all of them', async () => {
    // 601 certificates of one balance, every two days; the newest (calibrated 2026-11-01, due
    // 2027-12-06) is current, the 600 before it are history and all fall due before it.
    await t.db.pool.query(
      `INSERT INTO calibration_records (customer_org_id, lab_id, instrument_name, serial_number, calibrated_on, next_due_on)
       SELECT $1, $2, '电子天平', 'SN-LONG', date '2026-11-01' - (601 - n) * 2, date '2026-11-01' - (601 - n) * 2 + 400
       FROM generate_series(1, 601) AS n`,
      [sme2Org, labId],
    );
    type Page = {
      items: (RecordBody & { supersededBy: string | null })[];
      nextCursor: string | null;
      counts: { overdue: number; due_soon: number; ok: number };
    };
    const read = async (url: string, who: Who = 'sme2') => {
      const res = await get(url, who);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Page>();
    };
    for (const [url, who] of [
      ['/v1/me/calibration-records?serialNumber=SN-LONG', 'sme2'],
      [`/v1/labs/${labId}/calibration-records?serialNumber=SN-LONG`, 'lab'],
    ] as const) {
      const current = await read(url, who);
      expect(current.items.map((i) => [i.calibratedOn, i.nextDueOn, i.status, i.supersededBy])).toEqual([
        ['2026-11-01', '2027-12-06', 'ok', null],
      ]);
      expect(current.nextCursor).toBeNull();
      expect(current.counts).toEqual({ overdue: 0, due_soon: 0, ok: 1 });
    }

    // With the history: every certificate once, soonest due first, a page at a time.
    const { rows } = await t.db.pool.query<{ id: string }>(
      `SELECT id FROM calibration_records WHERE serial_number = 'SN-LONG' ORDER BY next_due_on, id`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await read(
        `/v1/me/calibration-records?serialNumber=SN-LONG&history=true&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(100);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(7);
    expect(seen).toEqual(rows.map((r) => r.id));
    const first = await read('/v1/me/calibration-records?serialNumber=SN-LONG&history=true');
    expect(first.items).toHaveLength(20);
    expect(first.counts.overdue + first.counts.due_soon + first.counts.ok).toBe(601);

    // The status filter is applied before the page is cut, and the counts ignore it.
    const overdue = await read('/v1/me/calibration-records?serialNumber=SN-LONG&history=true&status=overdue&limit=100');
    expect(overdue.items.every((i) => i.status === 'overdue')).toBe(true);
    expect(overdue.counts).toEqual(first.counts);
    // The whole of sme2's ledger: SN-B and the current balance.
    const all = await read('/v1/me/calibration-records');
    expect(all.items.map((i) => i.serialNumber).sort()).toEqual(['SN-B', 'SN-LONG']);

    expectProblem(await get('/v1/me/calibration-records?limit=101', 'sme2'), 400, 'validation_failed');
    expectProblem(await get('/v1/me/calibration-records?cursor=nope', 'sme2'), 400, 'invalid_cursor');
  });
});
