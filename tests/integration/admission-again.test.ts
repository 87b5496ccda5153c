import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { admitThroughNotice, completeApplication, filePart, PDF, registerLab } from '../support/admission.ts';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { newInstrumentBody, orgOf, USERS } from '../support/scenario.ts';

/**
 * Issue 12's admission, what was left: a lab that left (or was turned down) applies again and is
 * admitted with the sites and certificates it already had — updated, never copied; a certificate
 * scan replaced leaves the disk once the change is committed; and the scans follow the access rule
 * of the application they are on (the region's admins and service officers read them).
 */
const clock = testClock();
const t = useSeededApp({ clock });

type Method = 'GET' | 'PUT' | 'POST';
const call = (method: Method, url: string, token: string | null, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: token ? bearer(token) : {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
async function ok<T>(method: Method, url: string, token: string | null, payload?: unknown): Promise<T> {
  const res = await call(method, url, token, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(200);
  return res.json<T>();
}

interface Review {
  lab: { status: string; admissionStatus: string | null; exitStatus: string | null };
  admission: { id: string; status: string } | null;
  exit: { status: string; noticeEndsAt: string | null } | null;
  history: { id: string; kind: string; status: string }[];
}
interface ApplicationView {
  canApplyAgain: boolean;
  case: {
    id: string | null;
    status: string;
    noticeEndsAt: string | null;
    application: {
      sites: { name: string; regionCode: string; address: string }[];
      certificates: { file: { id: string } | null }[];
    };
  };
}

const sitesOf = async (labId: string) =>
  (
    await t.db.pool.query<{ id: string; name_zh: string; address_zh: string; region_code: string }>(
      'SELECT id, name_zh, address_zh, region_code FROM sites WHERE lab_id = $1 ORDER BY created_at, id',
      [labId],
    )
  ).rows;
const qualificationsOf = async (labId: string) =>
  (
    await t.db.pool.query<{ kind: string; number: string; issued_on: string; valid_until: string }>(
      `SELECT kind, number, issued_on::text, valid_until::text FROM lab_qualifications WHERE lab_id = $1
       ORDER BY kind, number`,
      [labId],
    )
  ).rows;
const casesOf = async (labId: string) =>
  (
    await t.db.pool.query<{ id: string; kind: string; status: string }>(
      'SELECT id, kind, status FROM admission_cases WHERE lab_id = $1 ORDER BY created_at, id',
      [labId],
    )
  ).rows;

/** A fresh session (one from before the clock moved a week on has lapsed). */
const adminSession = () => login(t.app, USERS.admin);

/** The admin exits the lab: the exit's 公示, the clock past it, the exit completed. */
async function exitLab(labId: string) {
  // A day after whatever came before (the cases then read in the order they happened).
  clock.now = new Date(clock.now.getTime() + 24 * 3600_000);
  const started = await ok<Review>('POST', `/v1/admin/labs/${labId}/exit`, await adminSession(), {
    reason: '机构主动申请退出',
  });
  clock.now = new Date(started.exit!.noticeEndsAt!);
  const done = await ok<Review>('POST', `/v1/admin/labs/${labId}/complete-exit`, await adminSession());
  expect(done.lab).toMatchObject({ status: 'suspended', exitStatus: 'exited' });
  expectProblem(await call('GET', `/v1/labs/${labId}`, null), 404, 'not_found');
}

/** The lab sends its application again; the admin publishes the notice and admits after it. */
async function applyAgainAndAdmit(labId: string, labToken: string, body: unknown) {
  const saved = await ok<ApplicationView>('PUT', `/v1/labs/${labId}/application`, labToken, body);
  expect(saved.case.status).toBe('draft');
  await ok('POST', `/v1/labs/${labId}/application/submit`, labToken);
  await ok('POST', `/v1/admin/labs/${labId}/publish-notice`, await adminSession());
  const onNotice = await ok<ApplicationView>('GET', `/v1/labs/${labId}/application`, labToken);
  clock.now = new Date(onNotice.case.noticeEndsAt!);
  await ok('POST', `/v1/admin/labs/${labId}/admit`, await adminSession());
}

describe('applying again after an exit', () => {
  it('admits a lab again with its own sites updated, its certificates renewed, its history kept', async () => {
    const lab = await registerLab(t.app, {
      email: 'back@apply.example.cn',
      body17: '12320200466000061',
      regionCode: '320214',
      nameZh: '新吴再入驻检测所',
    });
    const first = completeApplication({
      legalName: lab.nameZh,
      creditCode: lab.creditCode,
      regionCode: '320214',
      cma: '261000000061',
    });
    await admitThroughNotice(t.app, t.db, lab, await adminSession(), '261000000061');
    const [site] = await sitesOf(lab.labId);
    expect(site).toMatchObject({ name_zh: '新吴实验楼', address_zh: '长江路 21 号 3 号楼' });
    // The lab puts an instrument on its site while it is admitted.
    const created = await call(
      'POST',
      `/v1/labs/${lab.labId}/instruments`,
      lab.token,
      newInstrumentBody(site!.id, { nameZh: '盐雾试验箱', nameEn: 'Salt spray chamber', unitCount: 1 }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const instrumentId = created.json<{ id: string }>().id;
    const firstCase = (await casesOf(lab.labId))[0]!;

    await exitLab(lab.labId);
    const labToken = await login(t.app, lab.email, 'a-long-enough-password');
    const closed = await ok<ApplicationView>('GET', `/v1/labs/${lab.labId}/application`, labToken);
    expect(closed).toMatchObject({ canApplyAgain: true, case: { id: firstCase.id, status: 'admitted' } });

    // Applying again: the same site (moved to another building of the same address), one new site,
    // the same CMA certificate renewed and a CNAS accreditation added.
    await applyAgainAndAdmit(lab.labId, labToken, {
      ...first,
      sites: [
        { name: '新吴实验楼', regionCode: '320214', address: '长江路 21 号 5 号楼' },
        { name: '滨湖分部', regionCode: '320211', address: '蠡湖大道 8 号' },
      ],
      certificates: [
        { ...first.certificates[0]!, validFrom: '2026-03-01', validUntil: '2032-02-28' },
        {
          kind: 'cnas',
          number: 'CNAS L9061',
          validFrom: '2025-06-01',
          validUntil: '2031-05-31',
          scopeSummary: '金属材料 中性盐雾试验 GB/T 10125',
        },
      ],
    });

    const sites = await sitesOf(lab.labId);
    expect(sites).toHaveLength(2);
    expect(sites[0]).toEqual({ ...site, address_zh: '长江路 21 号 5 号楼' });
    expect(sites[1]).toMatchObject({ name_zh: '滨湖分部', region_code: '320211' });
    expect(await qualificationsOf(lab.labId)).toEqual([
      { kind: 'cma', number: '261000000061', issued_on: '2026-03-01', valid_until: '2032-02-28' },
      { kind: 'cnas', number: 'CNAS L9061', issued_on: '2025-06-01', valid_until: '2031-05-31' },
    ]);
    // In the catalogue again, with its instrument still on its site.
    expect((await call('GET', `/v1/labs/${lab.labId}`, null)).statusCode).toBe(200);
    const instrument = await ok<{ siteId?: string; site?: { id: string } }>(
      'GET',
      `/v1/instruments/${instrumentId}`,
      null,
    );
    expect(instrument.siteId ?? instrument.site?.id).toBe(site!.id);
    // Every case kept: the first admission, the exit, the new admission.
    expect((await casesOf(lab.labId)).map((c) => [c.kind, c.status])).toEqual([
      ['admission', 'admitted'],
      ['exit', 'exited'],
      ['admission', 'admitted'],
    ]);
    const review = await ok<Review>('GET', `/v1/admin/labs/${lab.labId}`, await adminSession());
    expect(review.lab).toMatchObject({ status: 'active', admissionStatus: 'admitted', exitStatus: 'exited' });
    expect(review.admission!.id).not.toBe(firstCase.id);
    expect(review.history.map((c) => c.id)).toContain(firstCase.id);
  });

  it('lets a demo lab admitted before applications existed apply again with the sites it has', async () => {
    const labId = await orgOf(t.db, USERS.lab2);
    const sitesBefore = await sitesOf(labId);
    const qualificationsBefore = await qualificationsOf(labId);
    const orders = async () =>
      (await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE lab_id = $1', [labId]))
        .rows[0]!.n;
    const ordersBefore = await orders();
    expect(sitesBefore.length).toBeGreaterThan(0);

    await exitLab(labId);
    const labToken = await login(t.app, USERS.lab2);
    const again = await ok<ApplicationView>('GET', `/v1/labs/${labId}/application`, labToken);
    expect(again.canApplyAgain).toBe(true);
    expect(again.case.id).toBeNull();
    // Prefilled with the sites it has.
    expect(again.case.application.sites).toEqual(
      sitesBefore.map((s) => ({ name: s.name_zh, regionCode: s.region_code, address: s.address_zh })),
    );
    const org = (
      await t.db.pool.query<{ name_zh: string; credit_code: string; region_code: string }>(
        'SELECT name_zh, credit_code, region_code FROM organisations WHERE id = $1',
        [labId],
      )
    ).rows[0]!;
    const body = completeApplication({
      legalName: org.name_zh,
      creditCode: org.credit_code,
      regionCode: org.region_code,
      cma: '261000000062',
    });
    await applyAgainAndAdmit(labId, labToken, {
      ...body,
      sites: again.case.application.sites,
      certificates: [
        ...body.certificates,
        ...qualificationsBefore.map((q) => ({
          kind: q.kind,
          number: q.number,
          validFrom: q.issued_on,
          validUntil: q.valid_until,
          scopeSummary: '以证书附表为准',
        })),
      ],
    });
    expect(await sitesOf(labId)).toEqual(sitesBefore);
    expect(await qualificationsOf(labId)).toEqual(
      [
        ...qualificationsBefore,
        { kind: 'cma', number: '261000000062', issued_on: '2024-03-01', valid_until: '2030-02-28' },
      ].sort((a, b) => a.kind.localeCompare(b.kind) || a.number.localeCompare(b.number)),
    );
    expect(await orders()).toBe(ordersBefore);
    expect((await call('GET', `/v1/labs/${labId}`, null)).statusCode).toBe(200);
    expect((await casesOf(labId)).map((c) => [c.kind, c.status])).toEqual([
      ['exit', 'exited'],
      ['admission', 'admitted'],
    ]);
  });
});

describe('certificate scans', () => {
  const scanFile = (labId: string, fileId: string) => path.join(t.app.ctx.config.filesDir, 'admission', labId, fileId);

  async function applicant(body17: string, regionCode: string, nameZh: string, cma: string) {
    const lab = await registerLab(t.app, { email: `scan${body17}@apply.example.cn`, body17, regionCode, nameZh });
    const body = completeApplication({ legalName: nameZh, creditCode: lab.creditCode, regionCode, cma });
    await ok('PUT', `/v1/labs/${lab.labId}/application`, lab.token, body);
    const upload = async (content: Buffer, name = 'cma.pdf', type = 'application/pdf') => {
      const f = filePart(name, type, content);
      return t.app.inject({
        method: 'POST',
        url: `/v1/labs/${lab.labId}/application/certificates/0/file`,
        payload: f.payload,
        headers: { ...f.headers, ...bearer(lab.token) },
      });
    };
    const scanId = async (content: Buffer) => {
      const res = await upload(content);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<ApplicationView>().case.application.certificates[0]!.file!.id;
    };
    return { ...lab, body, upload, scanId };
  }

  it('removes a replaced scan from disk once the change is committed, and only then', async () => {
    const lab = await applicant('12320200466000071', '320214', '新吴扫描替换检测所', '261000000071');
    const first = await lab.scanId(PDF);
    expect(existsSync(scanFile(lab.labId, first))).toBe(true);
    const second = await lab.scanId(Buffer.concat([PDF, Buffer.from('second')]));
    expect(second).not.toBe(first);
    expect(existsSync(scanFile(lab.labId, first))).toBe(false);
    expect(readFileSync(scanFile(lab.labId, second)).subarray(-6).toString()).toBe('second');

    // A refused replacement changes nothing: the scan in place stays.
    expectProblem(await lab.upload(Buffer.from('plain text'), 'cma.txt', 'text/plain'), 415, 'unsupported_file_type');
    // Once the application is submitted it cannot be edited: the upload is refused, nothing removed.
    await ok('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token);
    expectProblem(await lab.upload(PDF), 409, 'illegal_transition');
    expect(existsSync(scanFile(lab.labId, second))).toBe(true);
    const admin = await login(t.app, USERS.admin);
    await ok('POST', `/v1/admin/labs/${lab.labId}/request-changes`, admin, { reason: '请补充证书附表' });

    // Taking the scan off the certificate (saving the form without it) removes it too.
    await ok('PUT', `/v1/labs/${lab.labId}/application`, lab.token, lab.body);
    expect(existsSync(scanFile(lab.labId, second))).toBe(false);
  });

  it('keeps a scan an earlier case shows when the lab, applying again, replaces it', async () => {
    const lab = await applicant('12320200466000081', '320214', '新吴扫描历史检测所', '261000000081');
    const kept = await lab.scanId(PDF);
    await ok('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token);
    const admin = await login(t.app, USERS.admin);
    await ok('POST', `/v1/admin/labs/${lab.labId}/reject`, admin, { reason: '资质范围与拟提供服务不符' });
    // The new case starts from the old one's scan (sent back by id), then gets a new one.
    await ok('PUT', `/v1/labs/${lab.labId}/application`, lab.token, {
      ...lab.body,
      certificates: lab.body.certificates.map((c) => ({
        ...c,
        file: { id: kept, fileName: 'cma.pdf', contentType: 'application/pdf', sizeBytes: PDF.length },
      })),
    });
    const fresh = await lab.scanId(Buffer.concat([PDF, Buffer.from('fresh')]));
    expect(existsSync(scanFile(lab.labId, fresh))).toBe(true);
    expect(existsSync(scanFile(lab.labId, kept))).toBe(true);
    const old = await call('GET', `/v1/labs/${lab.labId}/application/files/${kept}`, admin);
    expect(old.statusCode).toBe(200);
  });

  it('lets the region’s service officers and admins read a scan as they read the application; others 404', async () => {
    // officer@ is the Wuzhong (320506) station's service officer.
    const near = await applicant('12320500466000091', '320506', '吴中扫描件检测所', '261000000091');
    const far = await applicant('12320200466000092', '320214', '新吴异地扫描件检测所', '261000000092');
    const nearScan = await near.scanId(PDF);
    const farScan = await far.scanId(PDF);
    const officer = await login(t.app, USERS.officer);
    const admin = await login(t.app, USERS.admin);
    const sme = await login(t.app, USERS.sme);
    const otherLab = await login(t.app, USERS.lab);
    const file = (lab: { labId: string }, id: string) => `/v1/labs/${lab.labId}/application/files/${id}`;

    for (const token of [officer, admin, near.token]) {
      const got = await call('GET', file(near, nearScan), token);
      expect(got.statusCode, got.body).toBe(200);
      expect(got.rawPayload.equals(PDF)).toBe(true);
    }
    // The application itself, as the officer reads it: the same rule.
    expect((await call('GET', `/v1/admin/labs/${near.labId}`, officer)).statusCode).toBe(200);
    expectProblem(await call('GET', `/v1/admin/labs/${far.labId}`, officer), 404, 'not_found');
    // Another region's officer, another lab, an enterprise, another lab's scan by this lab: 404.
    expectProblem(await call('GET', file(far, farScan), officer), 404, 'not_found');
    expectProblem(await call('GET', file(near, nearScan), otherLab), 404, 'not_found');
    expectProblem(await call('GET', file(near, nearScan), sme), 404, 'not_found');
    expectProblem(await call('GET', file(near, farScan), near.token), 404, 'not_found');
    expectProblem(await call('GET', file(far, farScan), near.token), 404, 'not_found');
    expect((await call('GET', file(far, farScan), admin)).statusCode).toBe(200);
  });
});
