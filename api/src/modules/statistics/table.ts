import ExcelJS from 'exceljs';
import { SERVICE_KINDS, type ServiceKind } from '@qihub/db';
import { localDate } from '../../lib/time.ts';
import { fixZipTimestamps } from '../../lib/zip-times.ts';
import type { Figures, Statistics } from './service.ts';

/**
 * The statistics as files: the workbook laid out for reporting upward (one row per sub-region,
 * columns grouped enterprises / services / resources / outcomes under merged header rows, the
 * region's total last) and a flat CSV (the total, each sub-region, each month).
 */

type Group = 'enterprises' | 'services' | 'resources' | 'outcomes';
interface Column {
  key: string;
  group: Group;
  header: string;
  value: (f: Figures) => number | null;
  format?: string;
}

export const GROUP_HEADERS: Record<Group, string> = {
  enterprises: '服务企业 Enterprises',
  services: '服务情况 Services',
  resources: '资源共享 Resources',
  outcomes: '服务成果 Outcomes',
};

const KIND_HEADERS: Record<ServiceKind, string> = {
  instrument_time: '仪器共享 Instrument time',
  outsourced_experiment: '委托实验 Outsourced experiments',
  commissioned_test: '委托检测 Commissioned testing',
  calibration: '计量校准 Calibration',
  standards: '标准服务 Standards',
  certification: '认证认可 Certification',
  quality_management: '质量管理 Quality management',
  technical_assistance: '技术帮扶 Technical assistance',
  training: '培训 Training',
  ip: '知识产权 IP',
  brand: '品牌建设 Brand',
};

const yuan = (fen: number) => fen / 100;
const MONEY = '#,##0.00;[Red]-#,##0.00';

export const COLUMNS: Column[] = [
  {
    key: 'enterprisesServed',
    group: 'enterprises',
    header: '服务企业数(家) Enterprises served',
    value: (f) => f.enterprisesServed,
  },
  {
    key: 'microSmallShare',
    group: 'enterprises',
    header: '小微企业占比 Micro & small share',
    value: (f) => f.microSmallShare,
    format: '0.0%',
  },
  { key: 'serviceTimes', group: 'services', header: '服务家次 Service times', value: (f) => f.serviceTimes },
  ...SERVICE_KINDS.map((k): Column => ({
    key: `byKind.${k}`,
    group: 'services',
    header: KIND_HEADERS[k],
    value: (f) => f.byKind[k],
  })),
  {
    key: 'ordersCompleted',
    group: 'services',
    header: '完成委托(单) Orders completed',
    value: (f) => f.ordersCompleted,
  },
  { key: 'reportsIssued', group: 'services', header: '出具报告(份) Reports issued', value: (f) => f.reportsIssued },
  {
    key: 'assistanceVisits',
    group: 'services',
    header: '帮扶走访(次) Assistance visits',
    value: (f) => f.assistanceVisits,
  },
  {
    key: 'trainingAttendees',
    group: 'services',
    header: '培训人次 Training attendees',
    value: (f) => f.trainingAttendees,
  },
  { key: 'eventsHeld', group: 'services', header: '举办活动(场) Events held', value: (f) => f.eventsHeld },
  {
    key: 'instrumentsShared',
    group: 'resources',
    header: '共享仪器(台套) Instruments shared',
    value: (f) => f.instrumentsShared,
  },
  {
    key: 'sharedMachineHours',
    group: 'resources',
    header: '共享机时(小时) Machine hours',
    value: (f) => f.sharedMachineHours,
    format: '0.00',
  },
  {
    key: 'externalServiceHours',
    group: 'resources',
    header: '对外服务机时(小时) External hours',
    value: (f) => f.externalServiceHours,
    format: '0.00',
  },
  { key: 'problemsSolved', group: 'outcomes', header: '解决问题(个) Problems solved', value: (f) => f.problemsSolved },
  {
    key: 'feesChargedYuan',
    group: 'outcomes',
    header: '服务收费(元) Fees charged (CNY)',
    value: (f) => yuan(f.feesChargedFen),
    format: MONEY,
  },
  {
    key: 'voucherAmountYuan',
    group: 'outcomes',
    header: '创新券抵扣(元) Vouchers (CNY)',
    value: (f) => yuan(f.voucherAmountFen),
    format: MONEY,
  },
  {
    key: 'costSavedYuan',
    group: 'outcomes',
    header: '节约成本(元) Cost saved (CNY)',
    value: (f) => yuan(f.costSavedFen),
    format: MONEY,
  },
  {
    key: 'averageRating',
    group: 'outcomes',
    header: '平均评分 Average rating',
    value: (f) => f.averageRating,
    format: '0.00',
  },
];

export function statisticsFileName(s: Statistics, ext: 'xlsx' | 'csv'): string {
  return `statistics-${s.region.code}-${s.from}-${s.to}.${ext}`;
}

export async function renderStatisticsXlsx(s: Statistics, now: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'QIHub';
  wb.lastModifiedBy = 'QIHub';
  wb.created = now;
  wb.modified = now;
  wb.title = `${s.region.nameZh} 服务统计 ${s.from}~${s.to}`;
  const ws = wb.addWorksheet('服务统计 Statistics');
  const width = 1 + COLUMNS.length;

  ws.getRow(1).getCell(1).value = `${s.region.nameZh}（${s.region.code}）质量基础设施一站式服务统计表`;
  ws.mergeCells(1, 1, 1, width);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getRow(2).getCell(1).value = `统计期间 Period: ${s.from} ~ ${s.to} (${s.timeZone})`;
  ws.mergeCells(2, 1, 2, width);

  // Header rows 3 (groups, merged over their columns) and 4 (the figures); the region column spans both.
  const groupRow = ws.getRow(3);
  const headRow = ws.getRow(4);
  groupRow.getCell(1).value = '地区 Region';
  ws.mergeCells(3, 1, 4, 1);
  let col = 2;
  for (const group of Object.keys(GROUP_HEADERS) as Group[]) {
    const cols = COLUMNS.filter((c) => c.group === group);
    groupRow.getCell(col).value = GROUP_HEADERS[group];
    if (cols.length > 1) ws.mergeCells(3, col, 3, col + cols.length - 1);
    for (const c of cols) headRow.getCell(col++).value = c.header;
  }
  for (const r of [groupRow, headRow]) {
    r.font = { bold: true };
    r.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }
  ws.getColumn(1).width = 22;
  COLUMNS.forEach((c, i) => {
    ws.getColumn(i + 2).width = 14;
    if (c.format) ws.getColumn(i + 2).numFmt = c.format;
  });

  const rows: { label: string; f: Figures }[] =
    s.bySubRegion.length > 0
      ? s.bySubRegion.map((r) => ({ label: `${r.region.nameZh} ${r.region.code}`, f: r }))
      : [{ label: `${s.region.nameZh} ${s.region.code}`, f: s }];
  for (const r of rows) ws.addRow([r.label, ...COLUMNS.map((c) => c.value(r.f))]);
  if (s.bySubRegion.length > 0) {
    const total = ws.addRow([`合计 Total ${s.region.code}`, ...COLUMNS.map((c) => c.value(s))]);
    total.font = { bold: true };
  }
  ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 4 }];
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return fixZipTimestamps(buffer, localDate(now));
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Flat: one line for the region, one per sub-region, one per month; money in fen, as the API gives it. */
export function renderStatisticsCsv(s: Statistics): string {
  const fields: { key: string; value: (f: Figures) => number | null }[] = [
    ...COLUMNS.filter((c) => !c.key.endsWith('Yuan')),
    { key: 'feesChargedFen', value: (f) => f.feesChargedFen },
    { key: 'voucherAmountFen', value: (f) => f.voucherAmountFen },
    { key: 'costSavedFen', value: (f) => f.costSavedFen },
  ];
  const lines = [['scope', 'regionCode', 'regionName', 'month', ...fields.map((f) => f.key)].join(',')];
  const line = (scope: string, code: string, name: string, month: string, f: Figures) =>
    [scope, code, name, month, ...fields.map((c) => c.value(f))].map(csvCell).join(',');
  lines.push(line('total', s.region.code, s.region.nameZh, '', s));
  for (const r of s.bySubRegion) lines.push(line('sub_region', r.region.code, r.region.nameZh, '', r));
  for (const m of s.byMonth) lines.push(line('month', s.region.code, s.region.nameZh, m.month, m));
  // A byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
