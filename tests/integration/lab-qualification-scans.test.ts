import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import { fileSender, PDF } from '../support/uploads.ts';

/**
 * Issue 12: a lab keeps its certificates in the console — the scan (uploaded, replaced, downloaded
 * by its members and the platform staff of its region, 404 to anyone else), the issuing body, the
 * dates and the scope lines — and the storefront's scope search follows every edit.
 */
const t = useSeededApp({ clock: testClock() });

interface Qual {
  id: string;
  number: string;
  issuingBody: string;
  issuedOn: string;
  validUntil: string;
  file: { fileName: string; contentType: string; sizeBytes: number } | null;
  scope: { productZh: string; parameterZh: string; standardCode: string }[];
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 1)]);

/** A city admin of the Suzhou platform (the demo lab is in Suzhou, the second lab in Nanjing). */
async function suzhouAdmin() {
  await t.db.pool.query(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT 'sz.quals@demo.qihub.test', password_hash, '苏州管理员' FROM users WHERE email = $1
     ON CONFLICT DO NOTHING`,
    [USERS.admin],
  );
  await t.db.pool.query(
    `INSERT INTO memberships (user_id, org_id, role)
     SELECT u.id, p.id, 'admin' FROM users u, organisations p
     WHERE u.email = 'sz.quals@demo.qihub.test' AND p.kind = 'platform' AND p.region_code = '320500'
     ON CONFLICT DO NOTHING`,
  );
  return login(t.app, 'sz.quals@demo.qihub.test');
}

async function newCertificate(token: string, labId: string, number: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/v1/labs/${labId}/qualifications`,
    headers: bearer(token),
    payload: {
      kind: 'cma',
      number,
      issuedOn: '2025-03-10',
      validUntil: '2031-03-09',
      issuingBody: '江苏省市场监督管理局',
      scope: [
        { productZh: '涂层', parameterZh: '耐湿热性', standardCode: 'GB/T 1740-2007' },
        { productZh: '涂层', parameterZh: '划格试验', standardCode: 'GB/T 9286-2021' },
      ],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Qual>();
}

const digest = async () =>
  (
    await t.db.pool.query<{ d: string }>(
      `SELECT md5(string_agg(q::text || coalesce(s::text, ''), ',' ORDER BY q.id, s.id)) AS d
       FROM lab_qualifications q LEFT JOIN lab_qualification_scope_items s ON s.qualification_id = q.id`,
    )
  ).rows[0]!.d;

describe('a certificate’s scan', () => {
  it('is uploaded and replaced by a manager, read by members and the region’s staff, 404 to anyone else', async () => {
    const [labId, lab2Id] = [await orgOf(t.db, USERS.lab), await orgOf(t.db, USERS.lab2)];
    const [manager, operator, lab2, admin, officer, sme, suzhou] = [
      await login(t.app, USERS.lab),
      await login(t.app, USERS.operator),
      await login(t.app, USERS.lab2),
      await login(t.app, USERS.admin),
      await login(t.app, USERS.officer),
      await login(t.app, USERS.sme),
      await suzhouAdmin(),
    ];
    const q = await newCertificate(manager, labId, '251012340001');
    expect(q).toMatchObject({ issuingBody: '江苏省市场监督管理局', file: null });
    const url = `/v1/labs/${labId}/qualifications/${q.id}/file`;
    const send = fileSender(t, 'POST', url);
    const get = (token: string | null, at = url) =>
      t.app.inject({ method: 'GET', url: at, headers: token ? bearer(token) : {} });

    // No scan yet: nothing to download, for anyone.
    expectProblem(await get(manager), 404, 'not_found');
    const before = await digest();
    expectProblem(await send(null, 'cma.pdf', 'application/pdf', PDF), 401, 'unauthenticated');
    expectProblem(await send(operator, 'cma.pdf', 'application/pdf', PDF), 403, 'forbidden');
    expectProblem(await send(lab2, 'cma.pdf', 'application/pdf', PDF), 404, 'not_found');
    expectProblem(await send(admin, 'cma.pdf', 'application/pdf', PDF), 404, 'not_found');
    // Checked by content: a renamed executable or a text file is no certificate scan.
    expectProblem(
      await send(manager, 'cma.pdf', 'application/pdf', Buffer.from('MZ\x90\x00 nope')),
      415,
      'unsupported_file_type',
    );
    expectProblem(
      await send(manager, 'cma.txt', 'text/plain', Buffer.from('plain text')),
      415,
      'unsupported_file_type',
    );
    // Another lab's certificate through the other lab's own path is 404 too.
    expectProblem(
      await send(lab2, 'cma.pdf', 'application/pdf', PDF, `/v1/labs/${lab2Id}/qualifications/${q.id}/file`),
      404,
      'not_found',
    );
    expect(await digest()).toBe(before);

    const sent = await send(manager, 'CMA 资质认定证书.pdf', 'application/pdf', PDF);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json<Qual>().file).toEqual({
      fileName: 'CMA 资质认定证书.pdf',
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
    });
    for (const token of [manager, operator, admin, officer, suzhou]) {
      const got = await get(token);
      expect(got.statusCode, got.body).toBe(200);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(got.rawPayload.equals(PDF)).toBe(true);
    }
    expectProblem(await get(null), 401, 'unauthenticated');
    for (const token of [lab2, sme]) expectProblem(await get(token), 404, 'not_found');
    expectProblem(await get(lab2, `/v1/labs/${lab2Id}/qualifications/${q.id}/file`), 404, 'not_found');

    // A new scan replaces the old one; the old file is gone from disk.
    const filesDir = (t.app as unknown as { ctx: { config: { filesDir: string } } }).ctx.config.filesDir;
    const { rows } = await t.db.pool.query<{ file_path: string }>(
      'SELECT file_path FROM lab_qualifications WHERE id = $1',
      [q.id],
    );
    const first = path.join(filesDir, rows[0]!.file_path);
    expect(existsSync(first)).toBe(true);
    const replaced = await send(manager, 'scan.png', 'image/png', PNG);
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json<Qual>().file).toMatchObject({ fileName: 'scan.png', contentType: 'image/png' });
    expect(existsSync(first)).toBe(false);
    const got = await get(operator);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload.equals(PNG)).toBe(true);

    // A scan of the second lab (Nanjing) is not the Suzhou admin's nor the Wuzhong officer's.
    const other = await newCertificate(lab2, lab2Id, '251012340002');
    const otherUrl = `/v1/labs/${lab2Id}/qualifications/${other.id}/file`;
    expect((await send(lab2, 'n.pdf', 'application/pdf', PDF, otherUrl)).statusCode).toBe(200);
    expect((await get(admin, otherUrl)).statusCode).toBe(200);
    for (const token of [suzhou, officer, manager]) expectProblem(await get(token, otherUrl), 404, 'not_found');

    const audit = await t.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [q.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'lab.qualification_added',
      'lab.qualification_scan_attached',
      'lab.qualification_scan_attached',
    ]);

    // A withdrawn certificate keeps its scan (still readable) and takes no new one.
    await t.app.inject({
      method: 'POST',
      url: `/v1/labs/${lab2Id}/qualifications/${other.id}/withdraw`,
      headers: bearer(lab2),
    });
    expectProblem(await send(lab2, 'n.pdf', 'application/pdf', PDF, otherUrl), 409, 'qualification_withdrawn');
    expect((await get(lab2, otherUrl)).statusCode).toBe(200);
  });
});

describe('editing a certificate', () => {
  it('changes number, dates, issuing body and scope lines, audited; the scope search follows', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const [manager, lab2] = [await login(t.app, USERS.lab), await login(t.app, USERS.lab2)];
    const lab2Id = await orgOf(t.db, USERS.lab2);
    const q = await newCertificate(manager, labId, '251012340003');
    const url = `/v1/labs/${labId}/qualifications/${q.id}`;
    const patch = (payload: object, token = manager, at = url) =>
      t.app.inject({ method: 'PATCH', url: at, headers: bearer(token), payload });
    const search = async (q: string) =>
      (await t.app.inject({ method: 'GET', url: `/v1/scope-search?q=${encodeURIComponent(q)}` }))
        .json<{ items: { id: string; matches: { number: string; parameterZh: string }[] }[] }>()
        .items.find((l) => l.id === labId)
        ?.matches.filter((m) => m.number === '251012340003') ?? [];
    expect(await search('GB/T 9286')).toHaveLength(1);

    const before = await digest();
    // Over six years, or ending before it starts: refused with its own code, both dates named.
    const long = expectProblem(await patch({ validUntil: '2031-03-10' }), 422, 'qualification_too_long');
    expect(long.errors?.map((e) => e.path)).toEqual(['/issuedOn', '/validUntil']);
    expectProblem(await patch({ issuedOn: '2024-12-31' }), 422, 'qualification_too_long');
    expectProblem(await patch({ validUntil: '2025-03-10' }), 422, 'qualification_ends_before_start');
    expectProblem(await patch({ issuedOn: '2031-03-09' }), 422, 'qualification_ends_before_start');
    expectProblem(await patch({ number: 'CNAS L1234' }), 400, 'validation_failed');
    expectProblem(await patch({ issuingBody: 'x'.repeat(101) }), 400, 'validation_failed');
    expectProblem(
      await patch({
        scope: [
          { parameterZh: '划格试验', standardCode: 'GB/T 9286-2021' },
          { parameterZh: '划格试验', standardCode: 'GB/T 9286-2021' },
        ],
      }),
      400,
      'validation_failed',
    );
    // Another lab's manager: 404 through either lab's path.
    expectProblem(await patch({ issuingBody: '某机关' }, lab2), 404, 'not_found');
    expectProblem(
      await patch({ issuingBody: '某机关' }, lab2, `/v1/labs/${lab2Id}/qualifications/${q.id}`),
      404,
      'not_found',
    );
    expect(await digest()).toBe(before);

    // One line changed (划格试验 → 铅笔硬度), one kept, one added; the other removed.
    const edited = await patch({
      number: '251012340004',
      issuedOn: '2025-04-01',
      validUntil: '2031-03-31',
      issuingBody: '国家市场监督管理总局',
      scope: [
        { productZh: '涂层', parameterZh: '铅笔硬度', standardCode: 'GB/T 6739-2022' },
        { productZh: '涂层', parameterZh: '中性盐雾', standardCode: 'GB/T 10125-2021' },
      ],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<Qual>()).toMatchObject({
      number: '251012340004',
      issuedOn: '2025-04-01',
      validUntil: '2031-03-31',
      issuingBody: '国家市场监督管理总局',
    });
    expect(
      edited
        .json<Qual>()
        .scope.map((s) => s.parameterZh)
        .sort(),
    ).toEqual(['中性盐雾', '铅笔硬度']);
    const { rows } = await t.db.pool.query<{ before: { issuingBody: string }; after: { issuingBody: string } }>(
      `SELECT before, after FROM audit_log WHERE entity_id = $1 AND action = 'lab.qualification_edited'`,
      [q.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.before.issuingBody).toBe('江苏省市场监督管理局');
    expect(rows[0]!.after.issuingBody).toBe('国家市场监督管理总局');

    const found = async (term: string) =>
      (await t.app.inject({ method: 'GET', url: `/v1/scope-search?q=${encodeURIComponent(term)}` }))
        .json<{ items: { id: string; matches: { number: string }[] }[] }>()
        .items.find((l) => l.id === labId)
        ?.matches.some((m) => m.number === '251012340004') ?? false;
    expect(await search('GB/T 9286')).toHaveLength(0);
    expect(await found('GB/T 9286')).toBe(false);
    expect(await found('GB/T 6739')).toBe(true);
    expect(await found('铅笔硬度')).toBe(true);
  });
});
