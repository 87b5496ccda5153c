import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import { bearer } from './app.ts';
import type { TestDatabase } from './db.ts';

/** The checklist's item ids (build – manage – serve – evaluate), as GET …/application lists them. */
export const CHECKLIST_ITEMS = [
  'build.legal-entity',
  'build.accreditation',
  'build.instruments',
  'build.staff',
  'manage.quality-system',
  'manage.price-list',
  'manage.confidentiality',
  'manage.calibration',
  'serve.one-stop',
  'serve.time-limits',
  'serve.consulting',
  'serve.training',
  'evaluate.satisfaction',
  'evaluate.traceable-records',
  'evaluate.platform-review',
  'evaluate.annual-report',
];

/**
 * A complete application. `cma` is the lab's own 12-digit CMA number (numbers are unique across
 * labs), `creditCode` its registered code.
 */
export function completeApplication(opts: { legalName: string; creditCode: string; regionCode: string; cma: string }) {
  return {
    entity: {
      legalName: opts.legalName,
      creditCode: opts.creditCode,
      legalRepresentative: '王建国',
      address: '江苏省无锡市新吴区长江路 21 号',
    },
    offering: '金属材料力学性能检测、盐雾试验',
    sites: [{ name: '新吴实验楼', regionCode: opts.regionCode, address: '长江路 21 号 3 号楼' }],
    certificates: [
      {
        kind: 'cma' as const,
        number: opts.cma,
        validFrom: '2024-03-01',
        validUntil: '2030-02-28',
        scopeSummary: '金属材料 拉伸试验 GB/T 228.1；中性盐雾 GB/T 10125',
      },
    ],
    selfEvaluation: CHECKLIST_ITEMS.map((item, i) =>
      i === 3
        ? { item, answer: 'partly' as const, note: '专职服务人员 2 名，年内增至 4 名' }
        : { item, answer: 'yes' as const, note: '' },
    ),
  };
}

/**
 * Takes a pending lab through its admission for tests of other features: it applies, the admin puts
 * it on notice, the notice is moved into the past (in the database, not on the shared clock) and
 * the admin admits it. The admission flow itself, with the clock, is tested in admission.test.ts.
 */
export async function admitThroughNotice(
  app: FastifyInstance,
  db: TestDatabase,
  lab: { labId: string; token: string },
  adminToken: string,
  cma: string,
) {
  const { rows } = await db.pool.query<{ name_zh: string; credit_code: string; region_code: string }>(
    'SELECT name_zh, credit_code, region_code FROM organisations WHERE id = $1',
    [lab.labId],
  );
  const org = rows[0]!;
  const body = completeApplication({
    legalName: org.name_zh,
    creditCode: org.credit_code,
    regionCode: org.region_code,
    cma,
  });
  const call = async (method: 'PUT' | 'POST', url: string, token: string, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(200);
  };
  await call('PUT', `/v1/labs/${lab.labId}/application`, lab.token, body);
  await call('POST', `/v1/labs/${lab.labId}/application/submit`, lab.token);
  await call('POST', `/v1/admin/labs/${lab.labId}/publish-notice`, adminToken);
  await db.pool.query(
    `UPDATE admission_cases SET notice_starts_at = notice_starts_at - interval '30 days',
       notice_ends_at = notice_ends_at - interval '30 days'
     WHERE lab_id = $1 AND kind = 'admission'`,
    [lab.labId],
  );
  await call('POST', `/v1/admin/labs/${lab.labId}/admit`, adminToken);
}

/** A lab applies to join (self-registration): its owner's session and the new (pending) lab. */
export async function registerLab(
  app: FastifyInstance,
  lab: { email: string; body17: string; regionCode: string; nameZh: string },
) {
  const creditCode = lab.body17 + creditCodeCheckCharacter(lab.body17);
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: {
      kind: 'lab',
      email: lab.email,
      password: 'a-long-enough-password',
      displayName: '申请人',
      organisation: { nameZh: lab.nameZh, creditCode, regionCode: lab.regionCode, labType: 'testing_institute' },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json<{ token: string; user: { memberships: { orgId: string }[] } }>();
  return { token: body.token, labId: body.user.memberships[0]!.orgId, creditCode, ...lab };
}

/** The admission tests upload certificate scans (support/uploads.ts). */
export { filePart, PDF } from './uploads.ts';
