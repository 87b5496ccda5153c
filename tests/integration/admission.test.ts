import { describe, expect, it } from 'vitest';
import { CHECKLIST_ITEMS, completeApplication, filePart, PDF, registerLab } from '../support/admission.ts';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';

// The clock stands still at the test epoch (Thursday 26 Nov 2026, 10:00 in China) until moved.
const clock = testClock();
const t = useSeededApp({ clock });

/** A lab applies to join (self-registration); its owner's session and the new lab. */
const register = (email: string, body17: string, regionCode: string, nameZh: string) =>
  registerLab(t.app, { email, body17, regionCode, nameZh });

type Method = 'GET' | 'PUT' | 'POST';
const call = (method: Method, url: string, token: string | null, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: token ? bearer(token) : {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

interface Review {
  lab: { status: string; admissionStatus: string | null; exitStatus: string | null };
  admission: { status: string; reason: string | null; noticeEndsAt: string | null } | null;
  exit: { status: string; noticeEndsAt: string | null } | null;
  objections: { id: string; reason: string; contact: string; handling: string | null }[];
}
interface Notice {
  id: string;
  kind: string;
  labNameZh: string;
  open: boolean;
  noticeEndsAt: string;
  qualifications: { number: string }[];
}

/** A city admin of the Suzhou platform (the seed's admin@ is the Jiangsu province's). */
async function suzhouAdmin() {
  await t.db.pool.query(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT 'sz.admin@demo.qihub.test', password_hash, '苏州管理员' FROM users WHERE email = $1
     ON CONFLICT DO NOTHING`,
    [USERS.admin],
  );
  await t.db.pool.query(
    `INSERT INTO memberships (user_id, org_id, role)
     SELECT u.id, p.id, 'admin' FROM users u, organisations p
     WHERE u.email = 'sz.admin@demo.qihub.test' AND p.kind = 'platform' AND p.region_code = '320500'
     ON CONFLICT DO NOTHING`,
  );
  return login(t.app, 'sz.admin@demo.qihub.test');
}

async function inbox(email: string, kind: string) {
  const { rows } = await t.db.pool.query<{ title_zh: string; body_zh: string }>(
    `SELECT n.title_zh, n.body_zh FROM notifications n JOIN users u ON u.id = n.user_id
     WHERE u.email = $1 AND n.kind = $2 ORDER BY n.created_at`,
    [email, kind],
  );
  return rows;
}

describe('a lab applies, the platform reviews, publishes the 公示 and admits after it', () => {
  it('goes from application to admission, with the 7-day notice and an objection handled', async () => {
    const lab = await register('wuxi@apply.example.cn', '12320200466000001', '320214', '无锡市新吴区检测中心');
    const admin = await login(t.app, USERS.admin);

    // The application starts as an unsaved draft, prefilled from the registration.
    const draft = await call('GET', `/v1/labs/${lab.labId}/application`, lab.token);
    expect(draft.statusCode, draft.body).toBe(200);
    const d = draft.json<{
      case: { status: string; application: { entity: { creditCode: string } } };
      checklist: { id: string }[];
    }>();
    expect(d.case.status).toBe('draft');
    expect(d.case.application.entity.creditCode).toBe(lab.creditCode);
    expect(d.checklist.map((c) => c.id)).toEqual(CHECKLIST_ITEMS);

    // Nothing to submit yet; a half-filled draft is saved but refused at submission, field by field.
    expectProblem(
      await call('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token),
      422,
      'application_incomplete',
    );
    const full = completeApplication({
      legalName: lab.nameZh,
      creditCode: lab.creditCode,
      regionCode: '320214',
      cma: '261000000001',
    });
    const half = { ...full, selfEvaluation: full.selfEvaluation.slice(0, 4), certificates: [] };
    expect((await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, half)).statusCode).toBe(200);
    const incomplete = expectProblem(
      await call('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token),
      422,
      'application_incomplete',
    );
    expect(incomplete.errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(['/certificates', '/selfEvaluation/4']),
    );
    // A "partly" without a note says nothing: refused too.
    const noNote = { ...full, selfEvaluation: full.selfEvaluation.map((s) => ({ ...s, note: '' })) };
    expect((await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, noNote)).statusCode).toBe(200);
    const why = expectProblem(
      await call('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token),
      422,
      'application_incomplete',
    );
    expect(why.errors?.map((e) => e.path)).toEqual(['/selfEvaluation/3/note']);

    expect((await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, full)).statusCode).toBe(200);
    const submitted = await call('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json<{ case: { status: string } }>().case.status).toBe('submitted');
    expect(await inbox(USERS.admin, 'admission_submitted')).toHaveLength(1);
    // Submitted: no more edits until the platform asks for them.
    expectProblem(await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, full), 409, 'illegal_transition');

    // The platform asks for changes; the lab is told why, edits and resubmits.
    const changes = await call('POST', `/v1/admin/labs/${lab.labId}/request-changes`, admin, {
      reason: '请补充CNAS证书',
    });
    expect(changes.statusCode, changes.body).toBe(200);
    expect(changes.json<Review>().admission).toMatchObject({ status: 'changes_requested', reason: '请补充CNAS证书' });
    expect(await inbox('wuxi@apply.example.cn', 'admission_changes_requested')).toEqual([
      expect.objectContaining({ body_zh: '请补充CNAS证书' }),
    ]);
    const edited = {
      ...full,
      certificates: [
        ...full.certificates,
        {
          kind: 'cnas',
          number: 'CNAS L26001',
          validFrom: '2025-01-01',
          validUntil: '2031-01-01',
          scopeSummary: '金属材料',
        },
      ],
    };
    expect((await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, edited)).statusCode).toBe(200);
    expect((await call('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token)).statusCode).toBe(200);

    // The notice: published Thursday 26 Nov (China); day 1 is the 27th, day 7 the 3rd; it ends at 24:00 of 3 Dec.
    const published = await call('POST', `/v1/admin/labs/${lab.labId}/publish-notice`, admin);
    expect(published.statusCode, published.body).toBe(200);
    const endsAt = '2026-12-03T16:00:00.000Z';
    expect(published.json<Review>().admission).toMatchObject({ status: 'on_notice', noticeEndsAt: endsAt });
    expect(await inbox('wuxi@apply.example.cn', 'admission_on_notice')).toHaveLength(1);

    // The public page shows it (no sign-in), with nothing private.
    const list = await call('GET', '/v1/notices', null);
    expect(list.statusCode, list.body).toBe(200);
    const notice = list.json<{ items: Notice[] }>().items.find((n) => n.labNameZh === lab.nameZh)!;
    expect(notice).toMatchObject({ kind: 'admission', open: true, noticeEndsAt: endsAt });
    expect(notice.qualifications.map((q) => q.number)).toEqual(['261000000001', 'CNAS L26001']);
    for (const secret of [lab.creditCode, '王建国', '长江路', '专职服务人员', 'selfEvaluation', 'wuxi@apply']) {
      expect(list.body).not.toContain(secret);
    }

    // Anyone objects: signed out, and an enterprise signed in. The answer echoes nothing back.
    const anon = await call('POST', `/v1/notices/${notice.id}/objections`, null, {
      reason: '该机构去年出具过虚假报告',
      contact: '13800000000',
    });
    expect(anon.statusCode, anon.body).toBe(201);
    expect(Object.keys(anon.json())).toEqual(['id', 'filedAt']);
    const sme = await login(t.app, USERS.sme);
    expect(
      (
        await call('POST', `/v1/notices/${notice.id}/objections`, sme, {
          reason: '服务收费不透明',
          contact: 'sme@example.cn',
        })
      ).statusCode,
    ).toBe(201);
    expect(list.body).not.toContain('13800000000');
    expect((await call('GET', '/v1/notices', null)).body).not.toContain('13800000000');
    expect(await inbox(USERS.admin, 'admission_objection')).toHaveLength(2);

    // The admin sees the objections and records how each was handled.
    const review = (await call('GET', `/v1/admin/labs/${lab.labId}`, admin)).json<Review>();
    expect(review.objections.map((o) => o.contact).sort()).toEqual(['13800000000', 'sme@example.cn']);
    const first = review.objections.find((o) => o.contact === '13800000000')!;
    const handled = await call('POST', `/v1/admin/objections/${first.id}/handling`, admin, {
      handling: '经核查，系他人冒用名义，异议不成立',
    });
    expect(handled.statusCode, handled.body).toBe(200);
    expect(handled.json()).toMatchObject({ handling: '经核查，系他人冒用名义，异议不成立' });

    // Not a moment before the notice is over: neither admit nor reject.
    clock.now = new Date(Date.parse(endsAt) - 1);
    // (Sessions lapse on the moved clock: sign in again.)
    const late = await login(t.app, USERS.admin);
    expectProblem(await call('POST', `/v1/admin/labs/${lab.labId}/admit`, late), 409, 'notice_not_over');
    expectProblem(
      await call('POST', `/v1/admin/labs/${lab.labId}/reject`, late, { reason: '不符合条件' }),
      409,
      'notice_not_over',
    );
    expectProblem(await call('GET', `/v1/labs/${lab.labId}`, null), 404, 'not_found');

    clock.now = new Date(endsAt);
    expectProblem(
      await call('POST', `/v1/notices/${notice.id}/objections`, null, {
        reason: '太晚了的异议',
        contact: '13900000000',
      }),
      409,
      'notice_closed',
    );
    const admitted = await call('POST', `/v1/admin/labs/${lab.labId}/admit`, late);
    expect(admitted.statusCode, admitted.body).toBe(200);
    expect(admitted.json()).toEqual({ id: lab.labId, status: 'active' });
    expectProblem(await call('POST', `/v1/admin/labs/${lab.labId}/admit`, late), 409, 'illegal_transition');

    // Active: public, with the declared site and its qualifications (the CMA/CNAS marks).
    const pub = await call('GET', `/v1/labs/${lab.labId}`, null);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.body).toContain('261000000001');
    expect(pub.body).toContain('新吴实验楼');
    const past = (await call('GET', '/v1/notices', null))
      .json<{ items: Notice[] }>()
      .items.find((n) => n.id === notice.id);
    expect(past?.open).toBe(false);

    const { rows: audit } = await t.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE org_id = $1`,
      [lab.labId],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'admission.submitted',
        'admission.changes_requested',
        'admission.notice_published',
        'admission.objection_filed',
        'admission.objection_handled',
        'lab.admitted',
        'admission.admitted',
      ]),
    );
    const { rows: outbox } = await t.db.pool.query('SELECT 1 FROM outbox WHERE dedupe_key = $1', [
      `lab-admitted:${lab.labId}`,
    ]);
    expect(outbox).toHaveLength(1);
  });

  it('rejects after the notice with a reason; the lab stays out', async () => {
    const lab = await register('reject@apply.example.cn', '12320200466000011', '320211', '滨湖检测所');
    const admin = await login(t.app, USERS.admin);
    const body = completeApplication({
      legalName: lab.nameZh,
      creditCode: lab.creditCode,
      regionCode: '320211',
      cma: '261000000002',
    });
    expect((await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, body)).statusCode).toBe(200);
    expect((await call('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token)).statusCode).toBe(200);
    expect((await call('POST', `/v1/admin/labs/${lab.labId}/publish-notice`, admin)).statusCode).toBe(200);
    clock.now = new Date(clock.now.getTime() + 9 * 86_400_000);
    // (Sessions expire on the moved clock: sign in again.)
    const admin2 = await login(t.app, USERS.admin);
    expectProblem(await call('POST', `/v1/admin/labs/${lab.labId}/reject`, admin2, {}), 400, 'validation_failed');
    const rejected = await call('POST', `/v1/admin/labs/${lab.labId}/reject`, admin2, {
      reason: '异议属实：资质已过期',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json<Review>()).toMatchObject({ lab: { status: 'pending' }, admission: { status: 'rejected' } });
    expect(await inbox('reject@apply.example.cn', 'admission_rejected')).toEqual([
      expect.objectContaining({ body_zh: '异议属实：资质已过期' }),
    ]);
    expectProblem(await call('POST', `/v1/admin/labs/${lab.labId}/admit`, admin2), 409, 'illegal_transition');
    expectProblem(await call('GET', `/v1/labs/${lab.labId}`, null), 404, 'not_found');
  });
});

describe('who may do what', () => {
  it('scopes to the region, hides other regions as 404 and keeps labs and enterprises out of /v1/admin', async () => {
    const wuxi = await register('wx2@apply.example.cn', '12320200466000021', '320214', '无锡第二检测站');
    const suzhou = await register('sz@apply.example.cn', '12320500466000022', '320506', '吴中检测所');
    const hangzhou = await register('hz@apply.example.cn', '12330100466000002', '330106', '杭州西湖检测所');
    const body = completeApplication({
      legalName: wuxi.nameZh,
      creditCode: wuxi.creditCode,
      regionCode: '320214',
      cma: '261000000003',
    });
    expect((await call('PUT', `/v1/labs/${wuxi.labId}/application`, wuxi.token, body)).statusCode).toBe(200);
    expect((await call('POST', `/v1/labs/${wuxi.labId}/application/submit`, wuxi.token)).statusCode).toBe(200);
    const [province, city, officer, sme, labManager] = [
      await login(t.app, USERS.admin),
      await suzhouAdmin(),
      await login(t.app, USERS.officer),
      await login(t.app, USERS.sme),
      await login(t.app, USERS.lab),
    ];
    const { rows } = await t.db.pool.query<{ id: string }>('SELECT id FROM admission_objections LIMIT 1');
    const objectionId = rows[0]!.id;
    const actions: [Method, string, object?][] = [
      ['GET', '/v1/admin/labs'],
      ['GET', `/v1/admin/labs/${wuxi.labId}`],
      ['POST', `/v1/admin/labs/${wuxi.labId}/request-changes`, { reason: '补充材料' }],
      ['POST', `/v1/admin/labs/${wuxi.labId}/publish-notice`],
      ['POST', `/v1/admin/labs/${wuxi.labId}/reject`, { reason: '不符合' }],
      ['POST', `/v1/admin/labs/${wuxi.labId}/admit`],
      ['POST', `/v1/admin/labs/${wuxi.labId}/suspend`, { reason: '暂停' }],
      ['POST', `/v1/admin/labs/${wuxi.labId}/reinstate`],
      ['POST', `/v1/admin/labs/${wuxi.labId}/exit`, { reason: '退出' }],
      ['POST', `/v1/admin/labs/${wuxi.labId}/complete-exit`],
      ['POST', `/v1/admin/objections/${objectionId}/handling`, { handling: '已处理' }],
    ];
    for (const [method, url, payload] of actions) {
      for (const token of [sme, labManager, wuxi.token]) {
        expectProblem(await call(method, url, token, payload), 403, 'forbidden');
      }
      expectProblem(await call(method, url, null, payload), 401, 'unauthenticated');
      if (url.includes(wuxi.labId) || url.includes('objections')) {
        // The Suzhou city admin: a Wuxi lab (and an objection to it) does not exist for them.
        expectProblem(await call(method, url, city, payload), 404, 'not_found');
      }
    }
    // The Suzhou admin sees Suzhou's applications, not Wuxi's or Hangzhou's; the province sees both of Jiangsu's.
    const cityList = (await call('GET', '/v1/admin/labs?status=pending', city)).json<{ items: { id: string }[] }>();
    expect(cityList.items.map((l) => l.id)).toContain(suzhou.labId);
    expect(cityList.items.map((l) => l.id)).not.toContain(wuxi.labId);
    const provinceList = (await call('GET', '/v1/admin/labs?status=pending', province)).json<{
      items: { id: string }[];
    }>();
    expect(provinceList.items.map((l) => l.id)).toEqual(expect.arrayContaining([wuxi.labId, suzhou.labId]));
    expect(provinceList.items.map((l) => l.id)).not.toContain(hangzhou.labId);
    expectProblem(await call('GET', `/v1/admin/labs/${hangzhou.labId}`, province), 404, 'not_found');
    expectProblem(await call('POST', `/v1/admin/labs/${hangzhou.labId}/publish-notice`, province), 404, 'not_found');

    // A service officer reads the applications of the station's district but decides nothing.
    expect((await call('GET', `/v1/admin/labs/${suzhou.labId}`, officer)).statusCode).toBe(200);
    expectProblem(await call('GET', `/v1/admin/labs/${wuxi.labId}`, officer), 404, 'not_found');
    expectProblem(await call('POST', `/v1/admin/labs/${suzhou.labId}/publish-notice`, officer), 403, 'forbidden');

    // A lab's application is its managers' alone.
    expectProblem(await call('GET', `/v1/labs/${wuxi.labId}/application`, suzhou.token), 404, 'not_found');
    expectProblem(await call('GET', `/v1/labs/${wuxi.labId}/application`, province), 404, 'not_found');
    expectProblem(await call('GET', `/v1/labs/${wuxi.labId}/application`, null), 401, 'unauthenticated');
    // Objections only to a notice: an application under review is no notice.
    const { rows: cases } = await t.db.pool.query<{ id: string }>('SELECT id FROM admission_cases WHERE lab_id = $1', [
      wuxi.labId,
    ]);
    expectProblem(
      await call('POST', `/v1/notices/${cases[0]!.id}/objections`, null, {
        reason: '试探一下而已',
        contact: 'x@example.cn',
      }),
      404,
      'not_found',
    );
  });
});

describe('suspension and exit', () => {
  it('suspends a lab: it leaves the catalogue, its future bookings are cancelled free and their customers told', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const instrument = await anInstrumentOf(t.db, labId);
    const sme = await login(t.app, USERS.sme);
    const admin = await login(t.app, USERS.admin);
    const from = new Date(clock.now.getTime() + 3 * 86_400_000).toISOString();
    const to = new Date(clock.now.getTime() + 10 * 86_400_000).toISOString();
    const slots = await call(
      'GET',
      `/v1/instruments/${instrument.id}/availability?from=${from}&to=${to}&durationMinutes=60`,
      sme,
    );
    expect(slots.statusCode, slots.body).toBe(200);
    const { start, end } = slots.json<{ slots: { start: string; end: string }[] }>().slots[0]!;
    const slot = { start, end };
    const booked = await call('POST', '/v1/bookings', sme, { instrumentId: instrument.id, ...slot, mode: 'self' });
    expect(booked.statusCode, booked.body).toBe(201);
    const bookingId = booked.json<{ id: string }>().id;

    expectProblem(
      await call('POST', `/v1/admin/labs/${labId}/suspend`, admin, { reason: '' }),
      400,
      'validation_failed',
    );
    const suspended = await call('POST', `/v1/admin/labs/${labId}/suspend`, admin, { reason: '抽查发现报告不规范' });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json<Review>().lab.status).toBe('suspended');
    const { rows: b } = await t.db.pool.query<{ status: string; cancellation_fee: number }>(
      'SELECT status, cancellation_fee FROM bookings WHERE id = $1',
      [bookingId],
    );
    expect(b[0]).toEqual({ status: 'cancelled', cancellation_fee: 0 });
    expect(await inbox(USERS.sme, 'booking_cancelled_by_platform')).toHaveLength(1);
    expect(await inbox(USERS.lab, 'lab_suspended')).toHaveLength(1);
    expectProblem(await call('GET', `/v1/labs/${labId}`, null), 404, 'not_found');
    expect(
      (await call('POST', '/v1/bookings', sme, { instrumentId: instrument.id, ...slot, mode: 'self' })).statusCode,
    ).toBe(404);
    expectProblem(
      await call('POST', `/v1/admin/labs/${labId}/suspend`, admin, { reason: '再次' }),
      409,
      'illegal_transition',
    );

    expect((await call('POST', `/v1/admin/labs/${labId}/reinstate`, admin)).statusCode).toBe(200);
    expect((await call('GET', `/v1/labs/${labId}`, null)).statusCode).toBe(200);
  });

  it('starts an exit with its own 公示 and completes it only after the notice', async () => {
    const labId = await orgOf(t.db, USERS.lab2);
    const admin = await login(t.app, USERS.admin);
    const started = await call('POST', `/v1/admin/labs/${labId}/exit`, admin, { reason: '机构主动申请退出' });
    expect(started.statusCode, started.body).toBe(200);
    const review = started.json<Review>();
    expect(review.lab.status).toBe('suspended');
    expect(review.exit?.status).toBe('on_notice');
    const notices = (await call('GET', '/v1/notices', null)).json<{ items: Notice[] }>().items;
    const exitNotice = notices.find((n) => n.kind === 'exit');
    expect(exitNotice?.open).toBe(true);
    expect(JSON.stringify(exitNotice)).not.toContain('机构主动申请退出');
    expectProblem(await call('POST', `/v1/admin/labs/${labId}/reinstate`, admin), 409, 'illegal_transition');
    expectProblem(await call('POST', `/v1/admin/labs/${labId}/complete-exit`, admin), 409, 'notice_not_over');
    clock.now = new Date(review.exit!.noticeEndsAt!);
    const done = await call('POST', `/v1/admin/labs/${labId}/complete-exit`, await login(t.app, USERS.admin));
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<Review>()).toMatchObject({ lab: { status: 'suspended', exitStatus: 'exited' } });
    expect(await inbox(USERS.lab2, 'lab_exited')).toHaveLength(1);
  });
});

describe('certificate scans, region names, applying again (issue 12)', () => {
  it('stores a checked scan on the certificate, for the managers and the region admins only', async () => {
    const lab = await register('scan@apply.example.cn', '12320200466000031', '320214', '新吴扫描件检测所');
    const admin = await login(t.app, USERS.admin);
    const body = completeApplication({
      legalName: lab.nameZh,
      creditCode: lab.creditCode,
      regionCode: '320214',
      cma: '261000000031',
    });
    const send = (index: number, name: string, type: string, content: Buffer, token: string | null = lab.token) => {
      const f = filePart(name, type, content);
      return t.app.inject({
        method: 'POST',
        url: `/v1/labs/${lab.labId}/application/certificates/${index}/file`,
        payload: f.payload,
        headers: { ...f.headers, ...(token ? bearer(token) : {}) },
      });
    };
    // Before the application is saved there is no certificate to attach to.
    expectProblem(await send(0, 'cma.pdf', 'application/pdf', PDF), 409, 'illegal_transition');
    expect((await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, body)).statusCode).toBe(200);
    expectProblem(
      await send(0, 'cma.pdf', 'application/pdf', Buffer.from('MZ\x90\x00 not a pdf')),
      415,
      'unsupported_file_type',
    );
    expectProblem(await send(0, 'cma.txt', 'text/plain', Buffer.from('plain text')), 415, 'unsupported_file_type');
    expectProblem(await send(5, 'cma.pdf', 'application/pdf', PDF), 404, 'not_found');
    expectProblem(await send(0, 'cma.pdf', 'application/pdf', PDF, admin), 404, 'not_found');
    const sent = await send(0, 'CMA 证书.pdf', 'application/pdf', PDF);
    expect(sent.statusCode, sent.body).toBe(200);
    const file = sent.json<{
      case: { application: { certificates: { file: { id: string; fileName: string } | null }[] } };
    }>().case.application.certificates[0]!.file!;
    expect(file).toMatchObject({ fileName: 'CMA 证书.pdf' });
    // Saving the form again keeps the scan by its id, with the stored name, never the client's.
    const again = await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, {
      ...body,
      certificates: body.certificates.map((c: object) => ({
        ...c,
        file: { id: file.id, fileName: 'evil.html', contentType: 'text/html', sizeBytes: 1 },
      })),
    });
    expect(
      again.json<{ case: { application: { certificates: { file: unknown }[] } } }>().case.application.certificates[0]!
        .file,
    ).toEqual(expect.objectContaining({ id: file.id, fileName: 'CMA 证书.pdf', contentType: 'application/pdf' }));

    const url = `/v1/labs/${lab.labId}/application/files/${file.id}`;
    for (const token of [lab.token, admin]) {
      const got = await call('GET', url, token);
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(got.rawPayload.equals(PDF)).toBe(true);
    }
    const stranger = await login(t.app, USERS.sme);
    expectProblem(await call('GET', url, stranger), 404, 'not_found');
    expectProblem(await call('GET', url, await suzhouAdmin()), 404, 'not_found');
    expectProblem(await call('GET', url, null), 401, 'unauthenticated');

    // The admin's list and review name the region.
    const review = await call('GET', `/v1/admin/labs/${lab.labId}`, admin);
    expect(review.json<{ lab: { regionZh: string } }>().lab.regionZh).toBe('新吴区');
    const list = await call('GET', '/v1/admin/labs?status=pending', admin);
    expect(
      list.json<{ items: { id: string; regionZh: string }[] }>().items.find((l) => l.id === lab.labId)?.regionZh,
    ).toBe('新吴区');
  });

  it('lets a rejected lab apply again as a new case, the rejected one kept as history', async () => {
    const lab = await register('again@apply.example.cn', '12320200466000041', '320211', '滨湖重新申请检测所');
    const admin = await login(t.app, USERS.admin);
    const body = completeApplication({
      legalName: lab.nameZh,
      creditCode: lab.creditCode,
      regionCode: '320211',
      cma: '261000000041',
    });
    await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, body);
    await call('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token);
    const rejected = await call('POST', `/v1/admin/labs/${lab.labId}/reject`, admin, {
      reason: '资质范围与拟提供服务不符',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const closed = await call('GET', `/v1/labs/${lab.labId}/application`, lab.token);
    expect(closed.json()).toMatchObject({ canApplyAgain: true, case: { status: 'rejected' } });
    const first = closed.json<{ case: { id: string } }>().case.id;

    const saved = await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ canApplyAgain: false, case: { status: 'draft', reason: null } });
    expect(saved.json<{ case: { id: string } }>().case.id).not.toBe(first);
    expect((await call('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token)).statusCode).toBe(200);
    const review = (await call('GET', `/v1/admin/labs/${lab.labId}`, admin)).json<{
      admission: { status: string };
      history: { id: string; status: string; reason: string }[];
    }>();
    expect(review.admission.status).toBe('submitted');
    expect(review.history).toEqual([
      expect.objectContaining({ id: first, status: 'rejected', reason: '资质范围与拟提供服务不符' }),
    ]);
  });

  it('seeds work for admin@: an application on notice with an objection and one awaiting review', async () => {
    // The template is seeded at the test epoch; earlier tests moved the clock, so go back to it.
    clock.now = new Date('2026-11-26T02:00:00Z');
    const admin = await login(t.app, USERS.admin);
    const list = (await call('GET', '/v1/admin/labs?status=pending', admin)).json<{
      items: { nameZh: string; admissionStatus: string }[];
    }>();
    expect(list.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nameZh: '无锡新锐材料检测技术有限公司', admissionStatus: 'on_notice' }),
        expect.objectContaining({ nameZh: '南京江宁计量检测有限公司', admissionStatus: 'submitted' }),
      ]),
    );
    const notices = (await call('GET', '/v1/notices', null)).json<{ items: Notice[] }>();
    expect(notices.items.find((n) => n.labNameZh === '无锡新锐材料检测技术有限公司')).toMatchObject({ open: true });
  });
});
