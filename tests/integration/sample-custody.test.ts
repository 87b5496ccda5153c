import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import {
  acceptQuote,
  aLab,
  anOrder,
  api,
  COMMISSION,
  ok,
  orgOf,
  receiveSamples,
  serviceId,
  USERS,
  type Detail,
} from '../factories/index.ts';

/**
 * Sample custody (样品流转): every handover of a sample is one entry of an append-only log, read by
 * the lab and the customer; impossible steps are refused; leftovers become due for return or
 * disposal once the report is out and the objection window (异议期) has closed, on the app clock.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });
const REVIEWER = 'reviewer@demo.qihub.test';
const DAY = 86_400_000;

type Who = 'sme' | 'sme2' | 'lab' | 'lab2' | 'operator' | 'reviewer';
const tk = {} as Record<Who, string>;
let call: ReturnType<typeof api>;
let labId: string;
let saltSpray: string;

interface Custody {
  orderId: string;
  leftoverSamples: 'return' | 'dispose' | null;
  leftoversDue: boolean;
  samples: {
    id: string;
    code: string;
    state: string;
    location: string | null;
    holder: string | null;
    next: string[];
  }[];
  entries: {
    sampleId: string;
    step: string;
    at: string;
    actorName: string | null;
    location: string | null;
    takenBy: string | null;
    returnMethod: string | null;
    courier: string | null;
    trackingNumber: string | null;
    cause: string | null;
  }[];
}
type TodayBody = {
  sections: { key: string; count: number; items: { id: string; orderId: string | null; status: string }[] }[];
};

async function signInAll() {
  for (const who of ['sme', 'sme2', 'lab', 'lab2', 'operator'] as const) tk[who] = await login(t.app, USERS[who]);
  tk.reviewer = await login(t.app, REVIEWER);
}

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  await signInAll();
});

const custody = async (orderId: string, who: Who = 'sme') =>
  ok<Custody>(await call(tk[who], 'GET', `/v1/orders/${orderId}/custody`));
const record = (orderId: string, sampleId: string, body: Record<string, unknown>, who: Who = 'lab') =>
  call(tk[who], 'POST', `/v1/orders/${orderId}/samples/${sampleId}/custody`, body);
const recorded = async (orderId: string, sampleId: string, body: Record<string, unknown>, who: Who = 'lab') =>
  ok<Custody>(await record(orderId, sampleId, body, who), 201);
const entryCount = async () =>
  Number((await t.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM sample_custody_entries')).rows[0]!.n);
const samplesDue = async () => {
  const body = ok<TodayBody>(await call(tk.lab, 'GET', `/v1/labs/${labId}/today`));
  return body.sections.find((s) => s.key === 'samplesDue')!;
};

async function accepted(leftoverSamples: 'return' | 'dispose' = 'return'): Promise<Detail> {
  const quoted = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(saltSpray, 24).quoted();
  return acceptQuote(t, tk.sme, quoted, { deadlineTierDays: 15 }, { ...COMMISSION, leftoverSamples });
}

/** Drafts, reviews and issues the order's report (tester, reviewer and signatory three people). */
async function issueReport(orderId: string) {
  const { rows } = await t.db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [USERS.operator]);
  const draft = ok<{ id: string; results: Record<string, unknown>[] }>(
    await call(tk.lab, 'POST', `/v1/orders/${orderId}/reports`, { testerId: rows[0]!.id }),
    201,
  );
  ok(
    await call(tk.lab, 'PATCH', `/v1/reports/${draft.id}`, {
      results: draft.results.map((r) => ({
        lineId: r.lineId,
        parameterZh: r.parameterZh,
        standardCode: r.standardCode,
        result: '24 h 无红锈',
        verdict: 'pass',
      })),
    }),
  );
  ok(await call(tk.lab, 'POST', `/v1/reports/${draft.id}/submit`));
  ok(await call(tk.reviewer, 'POST', `/v1/reports/${draft.id}/review`, { decision: 'approve' }));
  ok(await call(tk.lab, 'POST', `/v1/reports/${draft.id}/issue`));
  return ok(await call(tk.sme, 'GET', `/v1/orders/${orderId}`));
}

describe('the custody log of a sample', () => {
  it('follows receive → store → take → back, keeps the leftover until the objection window closes, then returns it', async () => {
    clock.now = new Date('2026-11-26T02:00:00Z');
    await signInAll();
    const d = await receiveSamples(t, tk.lab, await accepted('return'), { storageLocation: '收样室' });
    const sample = d.samples[0]!;
    const id = d.order.id;

    clock.advance(3_600_000);
    await recorded(id, sample.id, { step: 'stored', location: '样品间 A-3' });
    ok(await call(tk.lab, 'POST', `/v1/orders/${id}/start`));
    clock.advance(3_600_000);
    // An operator takes the sample for testing and brings it back.
    let c = await recorded(id, sample.id, { step: 'taken', takenBy: '王工' }, 'operator');
    expect(c.samples.find((s) => s.id === sample.id)).toMatchObject({ state: 'in_testing', holder: '王工' });
    clock.advance(2 * 3_600_000);
    await recorded(id, sample.id, { step: 'back', location: '样品间 A-3' }, 'operator');

    c = await custody(id, 'sme');
    const mine = c.entries.filter((e) => e.sampleId === sample.id);
    expect(mine.map((e) => e.step)).toEqual(['received', 'stored', 'taken', 'back']);
    // When is the app clock's time, not the database's.
    expect(mine.map((e) => e.at)).toEqual([
      '2026-11-26T02:00:00.000Z',
      '2026-11-26T03:00:00.000Z',
      '2026-11-26T04:00:00.000Z',
      '2026-11-26T06:00:00.000Z',
    ]);
    expect(mine[0]).toMatchObject({ location: '收样室', cause: null });
    expect(mine[2]).toMatchObject({ takenBy: '王工' });
    expect(c.samples.find((s) => s.id === sample.id)).toMatchObject({
      state: 'stored',
      location: '样品间 A-3',
      holder: null,
      next: ['stored', 'taken', 'returned', 'disposed'],
    });
    expect(c).toMatchObject({ leftoverSamples: 'return', leftoversDue: false });
    // The lab sees the same log.
    expect((await custody(id, 'lab')).entries).toEqual(c.entries);

    // Kept while the work runs and during the objection window.
    const courier = { step: 'returned', method: 'courier', courier: '顺丰速运', trackingNumber: 'SF1234567890123' };
    expectProblem(await record(id, sample.id, courier), 409, 'samples_not_due');
    clock.advance(DAY);
    const issued = await issueReport(id);
    expect(issued.order.status).toBe('report_issued');
    const until = new Date(issued.order.objectionUntil!);
    expectProblem(await record(id, sample.id, courier), 409, 'samples_not_due');
    expect((await samplesDue()).items.filter((i) => i.orderId === id)).toEqual([]);

    // One minute before the window closes: not yet due; at its close: due, as the form said (return).
    clock.now = new Date(until.getTime() - 60_000);
    await signInAll();
    expect((await samplesDue()).items.filter((i) => i.orderId === id)).toEqual([]);
    clock.now = until;
    await signInAll();
    const due = await samplesDue();
    expect(due.items.filter((i) => i.orderId === id).map((i) => [i.id, i.status])).toEqual(
      d.samples.map((s) => [s.id, 'return']),
    );
    expect((await custody(id, 'lab')).leftoversDue).toBe(true);

    c = await recorded(id, sample.id, courier);
    expect(c.samples.find((s) => s.id === sample.id)).toMatchObject({ state: 'returned', next: [] });
    expect(c.entries.at(-1)).toMatchObject({
      step: 'returned',
      returnMethod: 'courier',
      courier: '顺丰速运',
      trackingNumber: 'SF1234567890123',
      at: until.toISOString(),
    });
    expect((await samplesDue()).count).toBe(due.count - 1);
    // Returning twice is refused, and changes nothing.
    const before = await entryCount();
    expectProblem(await record(id, sample.id, courier), 409, 'illegal_custody_step');
    expect(await entryCount()).toBe(before);

    // The customer is told in the inbox.
    const { rows } = await t.db.pool.query<{ title_zh: string; body_zh: string }>(
      `SELECT n.title_zh, n.body_zh FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE u.email = $1 AND n.kind = 'sample_returned' AND n.link = $2`,
      [USERS.sme, `/orders/${id}`],
    );
    expect(rows).toEqual([
      { title_zh: `样品 ${sample.code} 已退还`, body_zh: '已由顺丰速运寄出，运单号 SF1234567890123。' },
    ]);
  });

  it('ends the custody of a cancelled order’s samples as the commission form says, and refuses to take a disposed sample', async () => {
    clock.now = new Date('2026-11-26T02:00:00Z');
    await signInAll();
    const d = await receiveSamples(t, tk.lab, await accepted('dispose'), { storageLocation: '样品间 B-1' });
    ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/cancel`, { reason: '客户撤回委托' }));
    const c = await custody(d.order.id);
    expect(c.samples.map((s) => s.state)).toEqual(d.samples.map(() => 'disposed'));
    expect(c.entries.filter((e) => e.step === 'disposed').map((e) => e.cause)).toEqual(
      d.samples.map(() => 'cancellation'),
    );
    const before = await entryCount();
    expectProblem(
      await record(d.order.id, d.samples[0]!.id, { step: 'taken', takenBy: '王工' }),
      409,
      'illegal_custody_step',
    );
    expectProblem(await record(d.order.id, d.samples[0]!.id, { step: 'disposed' }), 409, 'illegal_custody_step');
    expect(await entryCount()).toBe(before);
  });

  it('leaves a sample out for testing in custody when the order is cancelled; once back it is due to leave', async () => {
    clock.now = new Date('2026-11-26T02:00:00Z');
    await signInAll();
    const d = await receiveSamples(t, tk.lab, await accepted('return'), { storageLocation: '收样室' });
    const id = d.order.id;
    const [out, ...shelved] = d.samples;
    ok(await call(tk.lab, 'POST', `/v1/orders/${id}/start`));
    await recorded(id, out!.id, { step: 'taken', takenBy: '王工' }, 'operator');
    ok(await call(tk.lab, 'POST', `/v1/orders/${id}/cancel`, { reason: '客户撤回委托' }));
    // The lab cannot hand back what is not on its shelf: no cancellation entry for it.
    let c = await custody(id);
    expect(c.samples.find((s) => s.id === out!.id)).toMatchObject({ state: 'in_testing', holder: '王工' });
    for (const s of shelved) expect(c.samples.find((x) => x.id === s.id)?.state).toBe('returned');
    expect(c.entries.filter((e) => e.sampleId === out!.id).map((e) => e.step)).toEqual(['received', 'taken']);
    // Not returnable while out; back on the shelf, it is due (the order is void) and leaves.
    expectProblem(
      await record(id, out!.id, { step: 'returned', method: 'in_person', collectedBy: '李四' }),
      409,
      'illegal_custody_step',
    );
    await recorded(id, out!.id, { step: 'back', location: '样品间 A-3' }, 'operator');
    c = await recorded(id, out!.id, { step: 'returned', method: 'in_person', collectedBy: '李四' });
    expect(c.samples.find((s) => s.id === out!.id)?.state).toBe('returned');
  });

  it('refuses steps the sample or the order does not allow, and bad values, changing nothing', async () => {
    clock.now = new Date('2026-11-26T02:00:00Z');
    await signInAll();
    const waiting = await accepted();
    const expected = waiting.samples[0]!;
    const before = await entryCount();
    // Not received yet.
    expectProblem(
      await record(waiting.order.id, expected.id, { step: 'stored', location: 'A-1' }),
      409,
      'illegal_custody_step',
    );
    const d = await receiveSamples(t, tk.lab, waiting);
    const s = d.samples[0]!.id;
    const afterReceipt = await entryCount();
    expect(afterReceipt).toBe(before + d.samples.length);
    // Back to storage without having been taken.
    expectProblem(await record(d.order.id, s, { step: 'back', location: 'A-1' }), 409, 'illegal_custody_step');
    await recorded(d.order.id, s, { step: 'taken', takenBy: '王工' });
    // Out for testing: neither returned nor taken again.
    expectProblem(await record(d.order.id, s, { step: 'taken', takenBy: '李工' }), 409, 'illegal_custody_step');
    expectProblem(await record(d.order.id, s, { step: 'disposed' }), 409, 'illegal_custody_step');
    const n = await entryCount();
    // Fields each step needs.
    for (const [body, path] of [
      [{ step: 'stored' }, '/body/location'],
      [{ step: 'stored', location: '   ' }, '/body/location'],
      [{ step: 'taken' }, '/body/takenBy'],
      [{ step: 'returned' }, '/body/method'],
      [{ step: 'returned', method: 'courier', courier: '顺丰速运' }, '/body/trackingNumber'],
      [{ step: 'returned', method: 'in_person' }, '/body/collectedBy'],
    ] as const) {
      const p = expectProblem(await record(d.order.id, s, body), 400, 'validation_failed');
      expect(p.errors?.map((e) => e.path)).toContain(path);
    }
    expectProblem(await record(d.order.id, s, { step: 'received' }), 400, 'validation_failed');
    expectProblem(await record(d.order.id, s, { step: 'lost' }), 400, 'validation_failed');
    expectProblem(
      await record(d.order.id, s, { step: 'returned', method: 'courier', courier: 'SF', trackingNumber: 'SF 1' }),
      400,
      'validation_failed',
    );
    // Who: the customer reads only; an operator may not send a sample away.
    expectProblem(await record(d.order.id, s, { step: 'back', location: 'A-1' }, 'sme'), 403, 'forbidden');
    expectProblem(await record(d.order.id, s, { step: 'disposed' }, 'operator'), 403, 'forbidden');
    expect(await entryCount()).toBe(n);
  });

  it('is not there for another organisation (404), nor for a sample of another order', async () => {
    clock.now = new Date('2026-11-26T02:00:00Z');
    await signInAll();
    const d = await receiveSamples(t, tk.lab, await accepted());
    const other = await accepted();
    const s = d.samples[0]!.id;
    const before = await entryCount();
    expectProblem(await call(tk.sme2, 'GET', `/v1/orders/${d.order.id}/custody`), 404, 'not_found');
    expectProblem(await call(tk.lab2, 'GET', `/v1/orders/${d.order.id}/custody`), 404, 'not_found');
    expectProblem(await record(d.order.id, s, { step: 'stored', location: 'A-1' }, 'lab2'), 404, 'not_found');
    expectProblem(await record(d.order.id, s, { step: 'stored', location: 'A-1' }, 'sme2'), 404, 'not_found');
    expectProblem(await record(other.order.id, s, { step: 'stored', location: 'A-1' }), 404, 'not_found');
    expect(await entryCount()).toBe(before);
    // The lab2 manager's Today never lists this lab's samples.
    const lab2Id = await orgOf(t.db, USERS.lab2);
    const body = ok<TodayBody>(await call(tk.lab2, 'GET', `/v1/labs/${lab2Id}/today`));
    expect(body.sections.find((x) => x.key === 'samplesDue')!.items.some((i) => i.orderId === d.order.id)).toBe(false);
  });

  it('is append-only in the database itself', async () => {
    await expect(t.db.pool.query(`UPDATE sample_custody_entries SET location = 'X'`)).rejects.toThrow(/append-only/);
    await expect(t.db.pool.query(`DELETE FROM sample_custody_entries`)).rejects.toThrow(/append-only/);
  });
});
