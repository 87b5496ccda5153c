import type { BillingTerms } from '../../schema/money.ts';
import type { LabKey } from './types.ts';

/**
 * How the demo labs bill (issue 11): each invoice names the lab's own basic account (基本存款账户) —
 * the platform never holds the money. The Suzhou institute invoices an order when it is accepted
 * and releases the report when paid; the Nanjing university centre wants outside customers to pay
 * first; the Wuxi centre keeps monthly accounts (月结) for regular customers.
 */
export const LAB_BILLING: {
  lab: LabKey;
  terms: BillingTerms;
  dueDays: number;
  accountName: string;
  bankName: string;
  accountNumber: string;
}[] = [
  {
    lab: 'sqi',
    terms: 'on_delivery',
    dueDays: 15,
    accountName: '江苏省苏南产品质量监督检验研究院',
    bankName: '中国工商银行苏州吴中支行',
    accountNumber: '1102 0207 0900 0156 378',
  },
  {
    lab: 'njut',
    terms: 'prepay',
    dueDays: 7,
    accountName: '南京工程科技大学',
    bankName: '中国银行南京仙林大学城支行',
    accountNumber: '4665 5821 0236',
  },
  {
    lab: 'nbmetro',
    terms: 'on_delivery',
    dueDays: 15,
    accountName: '宁波市计量测试研究院',
    bankName: '宁波银行鄞州支行',
    accountNumber: '5101 0122 0004 18826',
  },
  {
    lab: 'wxmat',
    terms: 'monthly',
    dueDays: 30,
    accountName: '无锡锡材新材料检测中心有限公司',
    bankName: '江苏银行无锡新区支行',
    accountNumber: '2101 0188 0001 77563',
  },
  {
    lab: 'szemc',
    terms: 'on_delivery',
    dueDays: 30,
    accountName: '深圳湾电磁兼容检测技术有限公司',
    bankName: '招商银行深圳南山支行',
    accountNumber: '7559 2133 8010 601',
  },
  {
    lab: 'hzfood',
    terms: 'prepay',
    dueDays: 7,
    accountName: '杭州之江食品化学品检测中心',
    bankName: '杭州银行西湖支行',
    accountNumber: '3301 0401 6000 1287 55',
  },
];

/** Per-customer terms: the Suzhou institute gives the Wuxi enterprise a monthly account. */
export const CUSTOMER_BILLING: { lab: LabKey; customer: string; terms: BillingTerms; dueDays: number }[] = [
  { lab: 'sqi', customer: 'enterprise:chengrui', terms: 'monthly', dueDays: 30 },
];

/**
 * The demo Jiangsu province platform's own account: its service fee invoices to labs (and its own
 * events' invoices) are paid here, and its statement is matched the same way as a lab's.
 */
export const PLATFORM_BILLING: {
  platform: string;
  dueDays: number;
  accountName: string;
  bankName: string;
  accountNumber: string;
}[] = [
  {
    platform: 'platform:js',
    dueDays: 15,
    accountName: '江苏省质量基础设施一站式服务平台运营中心',
    bankName: '中国建设银行南京鼓楼支行',
    accountNumber: '3205 0161 5300 0000 2876',
  },
];
