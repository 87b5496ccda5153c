import { at } from './dates.ts';
import type { LabKey } from './types.ts';

/**
 * Per-lab order settings: report-number prefixes and the default rules (DOMAIN). The Guangzhou and
 * Shanghai labs never saved theirs, so they run on the defaults (prefix "QI" + id digits).
 */
export const LAB_ORDER_SETTINGS: { lab: LabKey; reportPrefix: string; autoQuoteFixedPrice?: boolean }[] = [
  // The Suzhou institute checks its capability (能力确认) before every quote, so it quotes by hand.
  { lab: 'sqi', reportPrefix: 'SZQI', autoQuoteFixedPrice: false },
  { lab: 'njut', reportPrefix: 'NJUTAC' },
  { lab: 'nbmetro', reportPrefix: 'NBJL' },
  { lab: 'wxmat', reportPrefix: 'WXCL' },
  { lab: 'szemc', reportPrefix: 'SZEMC' },
  { lab: 'hzfood', reportPrefix: 'HZSP' },
];

/** Authorised signatories (授权签字人) as listed on the labs' CMA certificates. */
export const LAB_SIGNATORIES: { lab: LabKey; email: string; scopeZh: string; since: Date }[] = [
  {
    lab: 'sqi',
    email: 'lab@demo.qihub.test',
    scopeZh: '金属材料力学性能、金属及覆盖层腐蚀试验、电工电子产品环境试验',
    since: at('2024-03-01 09:00'),
  },
  {
    lab: 'njut',
    email: 'lab2@demo.qihub.test',
    scopeZh: '材料微观形貌与成分表征',
    since: at('2024-06-01 09:00'),
  },
];
