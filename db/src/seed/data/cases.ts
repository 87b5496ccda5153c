import type { DbOrTx } from '../../client.ts';
import { typicalCases } from '../../schema/cases.ts';
import { orgId, stableId } from '../ids.ts';
import { at } from './dates.ts';

/**
 * Two published typical cases (典型案例) of the Jiangsu demo, as the API writes them: one written by
 * the Suzhou institute (lab@) and one by the Wuzhong station's service officer (officer@), both
 * published by the province platform's admin (admin@). Fixed ids, `ON CONFLICT DO NOTHING`.
 */
export const DEMO_CASE_IDS = {
  saltSpray: stableId('typical-case:sqi-salt-spray'),
  torque: stableId('typical-case:wz-torque'),
} as const;

export async function seedTypicalCases(tx: DbOrTx, idByEmail: ReadonlyMap<string, string>): Promise<void> {
  const admin = idByEmail.get('admin@demo.qihub.test')!;
  await tx
    .insert(typicalCases)
    .values([
      {
        id: DEMO_CASE_IDS.saltSpray,
        orgId: orgId('lab:sqi'),
        authorUserId: idByEmail.get('lab@demo.qihub.test')!,
        regionCode: '320506',
        title: '盐雾试验与钝化膜分析，帮助紧固件企业保住出口订单',
        enterpriseName: '苏州某精密紧固件企业（小型）',
        industry: '通用零部件制造',
        problem:
          '企业出口德国的不锈钢紧固件在客户复检的中性盐雾试验（GB/T 10125）中 48 小时出现红锈，客户要求整批退货并暂停后续订单。企业自身没有盐雾箱，以往送上海检测，一次周期约四周。',
        service:
          '检验院在吴中实验楼安排中性盐雾试验机时，并用扫描电镜和能谱分析比对合格批次与不合格批次的钝化膜，判断问题出在钝化液浓度偏低、钝化温度波动大；技术人员到厂指导调整钝化工艺参数，并对整改后的三个批次做 96 小时盐雾验证。',
        result:
          '整改后的批次 96 小时盐雾试验无红锈，通过德国客户复检，恢复了年约 600 万元的订单；企业把盐雾抽检写入出货检验规程，每批留样。',
        costSavedFen: 38_000_000,
        timeSavedDays: 21,
        notes: '批次合格率由 92% 提升至 99.3%；送检周期由约 4 周缩短为 1 周。',
        status: 'published',
        submittedAt: at('2026-10-09 16:20'),
        publishedAt: at('2026-10-15 10:00'),
        publishedBy: admin,
        createdAt: at('2026-10-08 11:05'),
        updatedAt: at('2026-10-15 10:00'),
      },
      {
        id: DEMO_CASE_IDS.torque,
        orgId: orgId('platform:wz'),
        authorUserId: idByEmail.get('officer@demo.qihub.test')!,
        regionCode: '320506',
        title: '扭矩扳手上门校准和计量台账，电梯部件企业通过主机厂审核',
        enterpriseName: '吴中区某电梯部件企业（微型）',
        industry: '电梯及自动扶梯零部件',
        problem:
          '主机厂二方审核发现企业装配工序使用的 36 把扭矩扳手没有校准记录、无法溯源，判定关键工序失控，企业的二级供应商资格被暂缓。企业只有十几名员工，不了解计量要求，也不知道找谁校准。',
        service:
          '服务专员上门诊断后，对接具备相应 CNAS 校准能力的机构到厂校准扭矩扳手和两台力值测试仪，帮助企业建立计量器具台账、确定一年的校准周期，并把到期提醒接入平台的计量器具台账。',
        result:
          '一个月内完成全部校准并整改关键工序，主机厂复审通过，企业取得二级供应商资格；此后校准到期由平台提前提醒。',
        costSavedFen: 12_000_000,
        timeSavedDays: 15,
        notes: '上门校准 38 台件；与送检相比减少停线 3 天。',
        status: 'published',
        submittedAt: at('2026-11-03 09:40'),
        publishedAt: at('2026-11-10 14:30'),
        publishedBy: admin,
        createdAt: at('2026-11-02 17:15'),
        updatedAt: at('2026-11-10 14:30'),
      },
    ])
    .onConflictDoNothing();
}
