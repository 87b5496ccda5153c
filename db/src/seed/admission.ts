import type { DbOrTx } from '../client.ts';
import { admissionCases, admissionObjections, organisations, type AdmissionApplication } from '../schema/index.ts';
import { creditCode, orgId, stableId } from './ids.ts';

/**
 * Demo admission (入驻) work for admin@ (Jiangsu province platform), as the API would have written it:
 * a Wuxi testing company whose application is on public notice (公示) with one objection filed, and
 * a Nanjing lab whose application was submitted and awaits review. /admin/labs has work in it and
 * /notices is not empty.
 *
 * Dates: a notice runs 7 days, so fixed dates would make the demo show an expired notice whenever it
 * is run later than a week after them. The notice is therefore dated relative to the seed run's
 * clock (`now`: the real clock for `pnpm db:seed` and the API's embedded seed, the test clock in the
 * test template): published 2 days before, ending like the API's (24:00 China time of the 7th day
 * after publication), so the demo opens with a notice still running for about 5 days. The seed is
 * insert-only (ON CONFLICT DO NOTHING on stable ids): a later run neither moves these dates nor adds
 * rows, and once the notice is over admin@ may admit or reject the lab as the product would.
 */
const DAY = 86_400_000;

/** The API's rule (api/src/modules/admission/notice-period.ts): 24:00 +08:00 of the 7th day after. */
function noticeEnd(published: Date): Date {
  const local = new Date(published.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return new Date(new Date(`${local}T00:00:00+08:00`).getTime() + 8 * DAY);
}

const ALL_YES = [
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

function selfEvaluation(partly: Record<string, string>) {
  return ALL_YES.map((item) =>
    partly[item]
      ? { item, answer: 'partly' as const, note: partly[item]! }
      : { item, answer: 'yes' as const, note: '' },
  );
}

interface DemoApplicant {
  key: string;
  nameZh: string;
  nameEn: string;
  regionCode: string;
  credit: [string, string, string];
  labType: 'materials' | 'metrology';
  contactPhone: string;
  application: (code: string) => AdmissionApplication;
}

export const DEMO_APPLICANTS = {
  onNotice: {
    key: 'lab:applicant-xinwu',
    nameZh: '无锡新锐材料检测技术有限公司',
    nameEn: 'Wuxi Xinrui Materials Testing Co., Ltd.',
    regionCode: '320214',
    credit: ['91', '320214', 'MA1XK7Q2E'],
    labType: 'materials',
    contactPhone: '0510-8522 6731',
    application: (code) => ({
      entity: {
        legalName: '无锡新锐材料检测技术有限公司',
        creditCode: code,
        legalRepresentative: '钱立新',
        address: '江苏省无锡市新吴区长江路 21 号 B 栋 3 层',
      },
      offering:
        '金属材料力学性能、化学成分与金相检测；涂镀层厚度与中性盐雾试验；为新吴区精密零部件企业提供来样检测与质量诊断。',
      sites: [{ name: '长江路实验室', regionCode: '320214', address: '无锡市新吴区长江路 21 号 B 栋 3 层' }],
      certificates: [
        {
          kind: 'cma',
          number: '231012051876',
          validFrom: '2023-04-18',
          validUntil: '2029-04-17',
          scopeSummary:
            '金属材料室温拉伸 GB/T 228.1-2021；洛氏硬度 GB/T 230.1-2018；碳素钢和中低合金钢火花源原子发射光谱 GB/T 4336-2016；中性盐雾 GB/T 10125-2021；覆盖层厚度 GB/T 4956-2003',
          file: null,
        },
      ],
      selfEvaluation: selfEvaluation({
        'serve.training': '已制定年度培训计划，2027 年起每季度面向园区企业开设一次检测标准宣贯。',
      }),
    }),
  },
  submitted: {
    key: 'lab:applicant-jiangning',
    nameZh: '南京江宁计量检测有限公司',
    nameEn: 'Nanjing Jiangning Metrology & Testing Co., Ltd.',
    regionCode: '320115',
    credit: ['91', '320115', 'MA27PL3D8'],
    labType: 'metrology',
    contactPhone: '025-5219 8840',
    application: (code) => ({
      entity: {
        legalName: '南京江宁计量检测有限公司',
        creditCode: code,
        legalRepresentative: '孙海燕',
        address: '江苏省南京市江宁区秣陵街道胜太西路 168 号',
      },
      offering: '长度、压力、温度计量器具校准；电气安全与电磁兼容预测试；为江宁开发区企业提供计量咨询。',
      sites: [{ name: '胜太西路校准实验室', regionCode: '320115', address: '南京市江宁区胜太西路 168 号' }],
      certificates: [
        {
          kind: 'cma',
          number: '221012340655',
          validFrom: '2022-09-05',
          validUntil: '2028-09-04',
          scopeSummary: '家用电器安全 GB 4706.1-2005（部分条款）；电磁兼容 辐射骚扰 GB/T 4343.1-2018（预测试）',
          file: null,
        },
        {
          kind: 'cnas',
          number: 'CNAS L16231',
          validFrom: '2023-01-12',
          validUntil: '2029-01-11',
          scopeSummary: '量块、千分尺、压力表、工作用热电偶的校准（JJG 146、JJG 21、JJG 52、JJF 1637）',
          file: null,
        },
      ],
      selfEvaluation: selfEvaluation({
        'manage.price-list': '收费目录已报备，拟于入驻后在平台公开全部服务价格。',
        'evaluate.satisfaction': '满意度回访目前为电话记录，入驻后改用平台评价。',
      }),
    }),
  },
} satisfies Record<string, DemoApplicant>;

export async function seedAdmissionDemo(tx: DbOrTx, now: Date): Promise<number> {
  const published = new Date(now.getTime() - 2 * DAY);
  let inserted = 0;
  for (const [which, a] of Object.entries(DEMO_APPLICANTS) as [keyof typeof DEMO_APPLICANTS, DemoApplicant][]) {
    const labId = orgId(a.key);
    const code = creditCode(...a.credit);
    const created = new Date(now.getTime() - (which === 'onNotice' ? 12 : 4) * DAY);
    const done = await tx
      .insert(organisations)
      .values({
        id: labId,
        kind: 'lab',
        status: 'pending',
        nameZh: a.nameZh,
        nameEn: a.nameEn,
        creditCode: code,
        regionCode: a.regionCode,
        labType: a.labType,
        contactPhone: a.contactPhone,
        createdAt: created,
        updatedAt: created,
      })
      .onConflictDoNothing()
      .returning({ id: organisations.id });
    inserted += done.length;
    const caseId = stableId(`admission:${a.key}`);
    const submitted = new Date(now.getTime() - (which === 'onNotice' ? 6 : 1) * DAY);
    await tx
      .insert(admissionCases)
      .values({
        id: caseId,
        labId,
        kind: 'admission',
        status: which === 'onNotice' ? 'on_notice' : 'submitted',
        application: a.application(code),
        submittedAt: submitted,
        noticeStartsAt: which === 'onNotice' ? published : null,
        noticeEndsAt: which === 'onNotice' ? noticeEnd(published) : null,
        createdAt: created,
        updatedAt: which === 'onNotice' ? published : submitted,
      })
      .onConflictDoNothing();
    if (which === 'onNotice') {
      await tx
        .insert(admissionObjections)
        .values({
          id: stableId(`objection:${a.key}:1`),
          caseId,
          reason:
            '该公司 2025 年为我司出具的盐雾试验报告中试验时间与委托单不一致，经沟通后才重新出具，希望平台核实其质量管理情况。',
          contact: '0510-8801 2346 周先生',
          filedAt: new Date(now.getTime() - 1 * DAY),
        })
        .onConflictDoNothing();
    }
  }
  return inserted;
}

/** The seeded applicants' lab ids (for tests and the every-page crawl). */
export const DEMO_APPLICANT_LAB_IDS = {
  onNotice: orgId(DEMO_APPLICANTS.onNotice.key),
  submitted: orgId(DEMO_APPLICANTS.submitted.key),
};
