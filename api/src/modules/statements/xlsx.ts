import { fixZipTimestamps } from '../../lib/zip-times.ts';
import ExcelJS from 'exceljs';
import { monthWindow, type StatementData } from './figures.ts';

/**
 * The statement workbook (XLSX). exceljs writes the workbook's created/modified dates from its
 * properties (set here to the month's end) but zips through JSZip, which stamps every entry with the
 * time of writing; `fixZipTimestamps` rewrites those stamps, so the same statement gives the same bytes.
 */

const yuan = (m: { amount: number }) => m.amount / 100;
// Negative amounts (credit notes, a month that credited more than it invoiced) in red with their minus sign.
const MONEY_FORMAT = '#,##0.00;[Red]-#,##0.00';

export async function renderStatementXlsx(s: StatementData): Promise<Buffer> {
  const fixed = monthWindow(s.month).end;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'QIHub';
  wb.lastModifiedBy = 'QIHub';
  wb.created = fixed;
  wb.modified = fixed;
  wb.lastPrinted = fixed;
  wb.title = `${s.customer ? '客户对账单' : '机构对账单'} ${s.month}`;

  const summary = wb.addWorksheet('汇总 Summary');
  summary.columns = [
    { header: '项目 Item', key: 'item', width: 36 },
    { header: '数值 Value', key: 'value', width: 20 },
  ];
  const rows: [string, string | number][] = [
    ['机构 Lab', s.lab.nameZh],
    ['客户 Customer', s.customer?.nameZh ?? ''],
    ['月份 Month', s.month],
    ['期间 Period', `${s.period.from} ~ ${s.period.to} (${s.period.timeZone})`],
    ['预约数 Bookings', s.bookings.count],
    ['预约时长(分钟) Booked minutes', s.bookings.bookedMinutes],
    ['使用时长(分钟) Used minutes', s.bookings.usedMinutes],
    ['使用时长(小时) Used hours', s.bookings.usedHours],
    ['预约计费 Bookings billed', yuan(s.bookings.billed)],
    ['接受订单数 Orders accepted', s.orders.accepted.count],
    ['接受订单金额 Orders accepted amount', yuan(s.orders.accepted.amount)],
    ['完成订单数 Orders completed', s.orders.completed.count],
    ['完成订单金额 Orders completed amount', yuan(s.orders.completed.amount)],
    ['取消订单数 Orders cancelled', s.orders.cancelled.count],
    ['取消费 Cancellation fees', yuan(s.orders.cancelled.fees)],
    ['账单数 Invoices issued', s.invoices.issued.count],
    ['账单金额 Invoiced', yuan(s.invoices.issued.amount)],
    ['红字账单数 Credit notes', s.invoices.creditNotes.count],
    ['红字金额 Credited', yuan(s.invoices.creditNotes.amount)],
    ['净开票额 Net invoiced', yuan(s.invoices.net)],
    ['收款合计 Payments', yuan(s.payments.total)],
    ['期初应收 Opening receivables', yuan(s.receivables.opening)],
    ['期末应收 Closing receivables', yuan(s.receivables.closing)],
  ];
  if (s.vouchers) {
    rows.push(['创新券申领 Vouchers claimed', yuan(s.vouchers.claimed)]);
    rows.push(['创新券到账 Vouchers paid', yuan(s.vouchers.paid)]);
  }
  if (s.platformFee) rows.push(['平台服务费 Platform fee', yuan(s.platformFee)]);
  for (const [item, value] of rows) summary.addRow({ item, value });

  const instruments = wb.addWorksheet('仪器 Instruments');
  instruments.columns = [
    { header: '仪器 Instrument', key: 'name', width: 30 },
    { header: 'ID', key: 'id', width: 38 },
    { header: '预约 Bookings', key: 'bookings', width: 12 },
    { header: '预约分钟 Booked min', key: 'booked', width: 16 },
    { header: '使用分钟 Used min', key: 'used', width: 16 },
    { header: '使用小时 Used h', key: 'hours', width: 14 },
    { header: '完成 Completed', key: 'completed', width: 12 },
    { header: '爽约 No-shows', key: 'noShows', width: 12 },
    { header: '取消 Cancelled', key: 'cancelled', width: 12 },
    { header: '计费 Billed', key: 'billed', width: 14, style: { numFmt: MONEY_FORMAT } },
  ];
  for (const i of s.bookings.instruments) {
    instruments.addRow({
      name: i.nameZh,
      id: i.id,
      bookings: i.bookings,
      booked: i.bookedMinutes,
      used: i.usedMinutes,
      hours: i.usedHours,
      completed: i.completed,
      noShows: i.noShows,
      cancelled: i.cancelled,
      billed: yuan(i.billed),
    });
  }

  const invoices = wb.addWorksheet('账单 Invoices');
  invoices.columns = [
    { header: '编号 Number', key: 'number', width: 18 },
    { header: '类型 Kind', key: 'kind', width: 12 },
    { header: '开具 Issued', key: 'issued', width: 12 },
    { header: '到期 Due', key: 'due', width: 12 },
    { header: '客户 Customer', key: 'customer', width: 30 },
    { header: '金额 Total', key: 'total', width: 14, style: { numFmt: MONEY_FORMAT } },
    { header: '创新券 Voucher share', key: 'voucher', width: 14, style: { numFmt: MONEY_FORMAT } },
  ];
  for (const i of s.invoices.items) {
    invoices.addRow({
      number: i.number,
      kind: i.kind,
      issued: i.issuedOn,
      due: i.dueDate,
      customer: i.customer.nameZh,
      total: yuan(i.total),
      voucher: yuan(i.voucherShare),
    });
  }

  const payments = wb.addWorksheet('收款 Payments');
  payments.columns = [
    { header: '渠道 Channel', key: 'channel', width: 18 },
    { header: '笔数 Count', key: 'count', width: 10 },
    { header: '金额 Amount', key: 'amount', width: 14, style: { numFmt: MONEY_FORMAT } },
  ];
  for (const c of s.payments.byChannel) payments.addRow({ channel: c.channel, count: c.count, amount: yuan(c.amount) });

  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return fixZipTimestamps(bytes, s.period.to);
}
