import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import { signIn, userIdsOf } from '../factories/index.ts';

/** Quality technical assistance: request, expert assignment, visits, resolve, close; who sees and does what. */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

type Who = 'admin' | 'officer' | 'sme' | 'sme2' | 'lab' | 'lab2' | 'operator';
const tok = {} as Record<Who, string>;
const uid = {} as Record<Who, string>;
let smeOrg: string;

interface AssistanceBody {
  id: string;
  status: string;
  enterprise: { id: string };
  officer: { id: string; name: string; phone: string | null } | null;
  expert: { id: string | null; name: string } | null;
  visits: { visitedOn: string; problemsFound: number; problemsSolved: number; recordedBy: { id: string } }[];
  problemsFound: number;
  problemsSolved: number;
  assignedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
}

beforeAll(async () => {
  // The demo seed has its own officers, records, requests and events: start this file from none.
  await t.db.pool.query('DELETE FROM assistance_requests; DELETE FROM enterprise_officers');
  smeOrg = await orgOf(t.db, USERS.sme);
  const people = ['admin', 'officer', 'sme', 'sme2', 'lab', 'lab2', 'operator'] as const;
  Object.assign(tok, await signIn(t.app, people));
  Object.assign(uid, await userIdsOf(t.db, people));
  const named = await t.app.inject({
    method: 'PUT',
    url: `/v1/enterprises/${smeOrg}/officer`,
    headers: bearer(tok.admin),
    payload: { officerUserId: uid.officer },
  });
  expect(named.statusCode, named.body).toBe(200);
});

const req = (method: 'GET' | 'POST', url: string, who: Who | null, payload?: object) =>
  t.app.inject({ method, url, ...(who ? { headers: bearer(tok[who]) } : {}), ...(payload ? { payload } : {}) });

const ask = {
  titleZh: '镀锌件盐雾试验不合格整改',
  problemZh: '省级监督抽查中，镀锌紧固件中性盐雾 48 h 出现红锈，需分析原因并整改。',
  trigger: 'spot_check_failure',
  productZh: '8.8 级镀锌螺栓',
};

let id: string;
let otherId: string;

async function notesOf(kindLike: string) {
  const { rows } = await t.db.pool.query<{ user_id: string; title_zh: string; title_en: string; link: string }>(
    `SELECT user_id, title_zh, title_en, link FROM notifications WHERE kind LIKE $1 ORDER BY created_at`,
    [kindLike],
  );
  return rows;
}

describe('asking for assistance', () => {
  it('an enterprise member asks; the request carries the officer, who is told', async () => {
    const res = await req('POST', '/v1/assistance-requests', 'sme', ask);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<AssistanceBody>();
    expect(body).toMatchObject({
      status: 'open',
      enterprise: { id: smeOrg },
      officer: { id: uid.officer, name: '孙专员', phone: '13800000002' },
      expert: null,
      visits: [],
    });
    id = body.id;
    const notes = await notesOf('assistance_requested');
    expect(notes).toEqual([expect.objectContaining({ user_id: uid.officer, link: `/assistance/${id}` })]);
    expect(notes[0]!.title_en.length).toBeGreaterThan(0);

    const other = await req('POST', '/v1/assistance-requests', 'sme2', {
      titleZh: '新产品标准咨询',
      problemZh: '新产品执行什么标准？',
      trigger: 'new_product',
    });
    expect(other.statusCode, other.body).toBe(201);
    expect(other.json<AssistanceBody>().officer).toBeNull();
    otherId = other.json<AssistanceBody>().id;
  });

  it('refuses bad input and non-enterprises', async () => {
    expectProblem(
      await req('POST', '/v1/assistance-requests', 'sme', { ...ask, trigger: 'boredom' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await req('POST', '/v1/assistance-requests', 'sme', { problemZh: '缺标题' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await req('POST', '/v1/assistance-requests', 'sme', { ...ask, extra: true }),
      400,
      'validation_failed',
    );
    expectProblem(await req('POST', '/v1/assistance-requests', 'lab', ask), 403, 'forbidden');
    expectProblem(await req('POST', '/v1/assistance-requests', null, ask), 401, 'unauthenticated');
    const sme2Org = await orgOf(t.db, USERS.sme2);
    expectProblem(
      await req('POST', '/v1/assistance-requests', 'sme', { ...ask, enterpriseId: sme2Org }),
      422,
      'not_your_enterprise',
    );
    const { rows } = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM assistance_requests');
    expect(rows[0]!.n).toBe(2);
  });

  it('each party sees exactly its own: enterprise, its officer, the admin over the region; strangers get 404', async () => {
    for (const who of ['sme', 'officer', 'admin'] as const) {
      expect((await req('GET', `/v1/assistance-requests/${id}`, who)).statusCode).toBe(200);
    }
    for (const who of ['sme2', 'lab', 'lab2'] as const) {
      expectProblem(await req('GET', `/v1/assistance-requests/${id}`, who), 404, 'not_found');
    }
    // The Wuzhong officer does not look after the Wuxi enterprise; the province admin does see it.
    expectProblem(await req('GET', `/v1/assistance-requests/${otherId}`, 'officer'), 404, 'not_found');
    expect((await req('GET', `/v1/assistance-requests/${otherId}`, 'admin')).statusCode).toBe(200);

    const ids = async (who: Who, q = '') =>
      (await req('GET', `/v1/assistance-requests${q}`, who)).json<{ items: AssistanceBody[] }>().items.map((r) => r.id);
    expect(await ids('sme')).toEqual([id]);
    expect(await ids('sme2')).toEqual([otherId]);
    expect(await ids('officer')).toEqual([id]);
    expect((await ids('admin')).sort()).toEqual([id, otherId].sort());
    expect(await ids('lab')).toEqual([]);
    expect(await ids('sme', '?status=closed')).toEqual([]);
    expectProblem(await req('GET', '/v1/assistance-requests?status=nope', 'sme'), 400, 'validation_failed');
  });
});

describe('the assistance flow', () => {
  it('nothing happens out of order', async () => {
    expectProblem(await req('POST', `/v1/assistance-requests/${id}/resolve`, 'officer'), 409, 'illegal_transition');
    const visit = { visitedOn: '2026-11-25', notesZh: '走访', problemsFound: 1, problemsSolved: 0 };
    expectProblem(
      await req('POST', `/v1/assistance-requests/${id}/visits`, 'officer', visit),
      409,
      'illegal_transition',
    );
  });

  it('the officer assigns an expert; the enterprise and the expert are told', async () => {
    const url = `/v1/assistance-requests/${id}/assign`;
    expectProblem(await req('POST', url, 'sme', { expertName: '张教授' }), 403, 'forbidden');
    expectProblem(await req('POST', url, 'sme2', { expertName: '张教授' }), 404, 'not_found');
    expectProblem(await req('POST', url, 'officer', {}), 422, 'expert_required');
    expectProblem(
      await req('POST', url, 'officer', { expertName: '张教授', expertUserId: uid.lab }),
      422,
      'expert_required',
    );
    expectProblem(await req('POST', url, 'officer', { expertUserId: uid.sme2 }), 422, 'unknown_expert');
    // An outside expert first, then (before any visit) a platform user instead.
    const outside = await req('POST', url, 'officer', { expertName: '张教授（南京工业大学）' });
    expect(outside.statusCode, outside.body).toBe(200);
    expect(outside.json<AssistanceBody>()).toMatchObject({
      status: 'assigned',
      expert: { id: null, name: '张教授（南京工业大学）' },
    });
    const res = await req('POST', url, 'officer', { expertUserId: uid.lab });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<AssistanceBody>()).toMatchObject({ status: 'assigned', expert: { id: uid.lab, name: '王工' } });
    expect(res.json<AssistanceBody>().assignedAt).toBe(clock.now.toISOString());

    const toEnterprise = (await notesOf('assistance_update')).filter((n) => n.user_id === uid.sme);
    expect(toEnterprise.map((n) => n.title_zh)).toEqual([
      '帮扶专家已指派：张教授（南京工业大学）',
      '帮扶专家已指派：王工',
    ]);
    expect((await notesOf('assistance_expert')).map((n) => n.user_id)).toEqual([uid.lab]);
    // The expert now sees the request.
    expect((await req('GET', `/v1/assistance-requests/${id}`, 'lab')).statusCode).toBe(200);
  });

  it('the expert and the officer record visits; the enterprise is told each time', async () => {
    const url = `/v1/assistance-requests/${id}/visits`;
    const visit = {
      visitedOn: '2026-11-26',
      notesZh: '现场检查镀锌工艺，发现钝化时间不足、镀层厚度偏薄。',
      problemsFound: 3,
      problemsSolved: 1,
    };
    expectProblem(await req('POST', url, 'lab', { ...visit, visitedOn: '2026-11-27' }), 422, 'visit_in_future');
    const counts = expectProblem(await req('POST', url, 'lab', { ...visit, problemsSolved: 4 }), 422, 'invalid_counts');
    expect(counts.errors?.[0]?.path).toBe('/problemsSolved');
    expectProblem(await req('POST', url, 'lab', { ...visit, problemsFound: -1 }), 400, 'validation_failed');
    expectProblem(await req('POST', url, 'sme', visit), 403, 'forbidden');
    expectProblem(await req('POST', url, 'admin', visit), 403, 'forbidden');
    expectProblem(await req('POST', url, 'operator', visit), 404, 'not_found');

    const first = await req('POST', url, 'lab', visit);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<AssistanceBody>().status).toBe('in_progress');
    const second = await req('POST', url, 'officer', {
      visitedOn: '2026-11-26',
      notesZh: '复查：已调整钝化工艺，盐雾试验 72 h 无红锈。',
      problemsFound: 0,
      problemsSolved: 0,
    });
    const body = second.json<AssistanceBody>();
    expect(body.visits.map((v) => v.recordedBy.id)).toEqual([uid.lab, uid.officer]);
    expect(body).toMatchObject({ problemsFound: 3, problemsSolved: 1 });
    const visitNotes = (await notesOf('assistance_update')).filter((n) => n.title_zh.startsWith('帮扶走访已记录'));
    expect(visitNotes).toHaveLength(2);
    // No re-assigning once the work has started.
    expectProblem(
      await req('POST', `/v1/assistance-requests/${id}/assign`, 'officer', { expertName: '另一位专家' }),
      409,
      'illegal_transition',
    );
    expectProblem(await req('POST', `/v1/assistance-requests/${id}/close`, 'sme'), 409, 'illegal_transition');
  });

  it('resolved once even when two helpers press at the same moment; the enterprise closes it', async () => {
    expectProblem(await req('POST', `/v1/assistance-requests/${id}/resolve`, 'sme'), 403, 'forbidden');
    const both = await Promise.all([
      req('POST', `/v1/assistance-requests/${id}/resolve`, 'lab'),
      req('POST', `/v1/assistance-requests/${id}/resolve`, 'officer'),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.statusCode === 409)!.json<{ code: string }>().code).toBe('illegal_transition');

    expectProblem(await req('POST', `/v1/assistance-requests/${id}/close`, 'officer'), 403, 'forbidden');
    const closed = await req('POST', `/v1/assistance-requests/${id}/close`, 'sme');
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<AssistanceBody>()).toMatchObject({ status: 'closed' });
    expect(closed.json<AssistanceBody>().resolvedAt).not.toBeNull();
    expectProblem(await req('POST', `/v1/assistance-requests/${id}/close`, 'sme'), 409, 'illegal_transition');
    expect((await notesOf('assistance_closed')).map((n) => n.user_id).sort()).toEqual([uid.lab, uid.officer].sort());

    const { rows } = await t.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'assistance.requested',
      'assistance.assigned',
      'assistance.assigned',
      'assistance.visit_recorded',
      'assistance.visit_recorded',
      'assistance.resolved',
      'assistance.closed',
    ]);
  });

  it('an enterprise may withdraw a request nobody has taken up; a platform admin may assign', async () => {
    const assigned = await req('POST', `/v1/assistance-requests/${otherId}/assign`, 'admin', {
      expertUserId: uid.lab2,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const fresh = await req('POST', '/v1/assistance-requests', 'sme', {
      titleZh: '计量器具管理咨询',
      problemZh: '如何建立计量器具台账？',
    });
    const withdrawn = await req('POST', `/v1/assistance-requests/${fresh.json<AssistanceBody>().id}/close`, 'sme');
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json<AssistanceBody>().status).toBe('closed');
  });
});
