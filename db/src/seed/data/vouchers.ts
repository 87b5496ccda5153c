import type { DbOrTx } from '../../client.ts';
import type { ServiceKind } from '../../schema/enums.ts';
import { voucherApplications, voucherProgrammes } from '../../schema/vouchers.ts';
import { orgId, stableId } from '../ids.ts';
import { at } from './dates.ts';

/**
 * The demo innovation-voucher programme (创新券, issue 11): run by the Jiangsu province platform
 * (whose admin is the demo admin), paying half of the fee at admitted labs in the province, up to
 * ¥50,000 per enterprise a year; the demo enterprise (Hengrui, sme@) already holds an approved
 * quota of ¥20,000 to use on an invoice. Fixed ids and `ON CONFLICT DO NOTHING`, like the rest of
 * the seed.
 */
export const DEMO_VOUCHER_PROGRAMME = {
  id: stableId('voucher-programme:js-2026'),
  issuerOrgId: orgId('platform:js'),
  regionCode: '320000',
  nameZh: '江苏省科技创新券（质量基础设施服务专项）',
  nameEn: 'Jiangsu innovation vouchers (quality infrastructure services)',
  shareBp: 5000,
  capFen: 5_000_000,
  eligibleKinds: ['instrument_time', 'outsourced_experiment', 'commissioned_test', 'calibration'] as ServiceKind[],
  validFrom: '2026-01-01',
  validTo: '2028-12-31',
  createdAt: at('2026-01-05 09:00'),
  updatedAt: at('2026-01-05 09:00'),
};

export const DEMO_VOUCHER_APPLICATION = {
  id: stableId('voucher-application:hengrui-2026'),
  programmeId: DEMO_VOUCHER_PROGRAMME.id,
  enterpriseOrgId: orgId('enterprise:hengrui'),
  year: 2026,
  requestedFen: 3_000_000,
  purpose: '精密传动零部件盐雾、硬度及尺寸检测，用于新产品定型 (tests for a new product line)',
  status: 'approved' as const,
  quotaFen: 2_000_000,
  remainingFen: 2_000_000,
  decidedAt: at('2026-02-10 10:30'),
  createdAt: at('2026-02-03 14:00'),
  updatedAt: at('2026-02-10 10:30'),
};

/** Writes the demo programme and the approved quota; returns how many rows were new. */
export async function seedVouchers(tx: DbOrTx): Promise<number> {
  const p = await tx
    .insert(voucherProgrammes)
    .values(DEMO_VOUCHER_PROGRAMME)
    .onConflictDoNothing()
    .returning({ id: voucherProgrammes.id });
  const a = await tx
    .insert(voucherApplications)
    .values(DEMO_VOUCHER_APPLICATION)
    .onConflictDoNothing()
    .returning({ id: voucherApplications.id });
  return p.length + a.length;
}
