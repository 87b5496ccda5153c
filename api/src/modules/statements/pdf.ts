import { formatYuan } from '../../lib/money.ts';
import { A4, margins, startCjkPdf } from '../../lib/pdf.ts';
import { monthWindow, type StatementData } from './figures.ts';

/**
 * The statement PDF (对账单). Deterministic: the document's dates are the month's end (pdfkit
 * derives the file ID from them), pdfkit names font subsets from the font's id, and every list
 * comes in the statement's own order — so the same statement gives the same bytes.
 */

const PAGE = { ...A4, margin: 50 };
const CHANNEL_NAMES: Record<string, string> = {
  bank_transfer: '对公转账 Bank transfer',
  card: '银行卡 Card',
  voucher: '创新券 Voucher',
  credit: '余额抵扣 Credit',
  manual: '手工登记 Manual',
};

/** "¥1234.50", and "-¥1234.50" for a negative amount (a credit note, a month that credited more than it invoiced). */
const yuan = (m: { amount: number }) => `${m.amount < 0 ? '-' : ''}¥${formatYuan(Math.abs(m.amount))}`;

export async function renderStatementPdf(s: StatementData): Promise<Buffer> {
  const fixed = monthWindow(s.month).end;
  const title = s.customer ? '客户对账单 Customer statement' : '机构对账单 Lab statement';
  const { doc, done } = startCjkPdf({
    margins: margins(PAGE.margin),
    info: {
      Title: `${title} ${s.month}`,
      Author: s.lab.nameZh,
      Subject: `Statement ${s.month}`,
      Creator: 'QIHub',
      Producer: 'QIHub',
      CreationDate: fixed,
      ModDate: fixed,
    },
  });
  const left = PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;

  const heading = (text: string) => {
    if (doc.y > PAGE.height - PAGE.margin - 80) doc.addPage();
    doc.moveDown(0.6).font('cjk-bold').fontSize(12).text(text, left, doc.y, { width });
    doc.moveDown(0.2);
  };
  /** Rows of cells; `widths` are fractions of the page width. */
  const table = (rows: string[][], widths: number[], header = true) => {
    rows.forEach((row, r) => {
      if (doc.y > PAGE.height - PAGE.margin - 20) doc.addPage();
      const y = doc.y;
      let x = left;
      let h = 0;
      row.forEach((cell, c) => {
        const w = widths[c]! * width;
        doc
          .font(header && r === 0 ? 'cjk-bold' : 'cjk')
          .fontSize(8.5)
          .text(cell, x + 2, y, { width: w - 4, align: c === 0 ? 'left' : 'right' });
        h = Math.max(h, doc.y - y);
        x += w;
      });
      doc.y = y + h + 2;
    });
  };

  doc.font('cjk-bold').fontSize(16).text(title, left, PAGE.margin, { width, align: 'center' });
  doc
    .font('cjk')
    .fontSize(10)
    .text(`${s.lab.nameZh}${s.lab.nameEn ? ` / ${s.lab.nameEn}` : ''}`, { width, align: 'center' })
    .text(`${s.month}（${s.period.from} 至 ${s.period.to}，${s.period.timeZone}）`, { width, align: 'center' });
  if (s.customer) doc.text(`客户 Customer：${s.customer.nameZh}`, { width, align: 'center' });

  heading('仪器预约与使用 Bookings and use');
  table(
    [
      [
        '仪器 Instrument',
        '预约 Bookings',
        '预约时长(分) Booked min',
        '使用时长(时) Used h',
        '爽约 No-shows',
        '计费 Billed',
      ],
      ...s.bookings.instruments.map((i) => [
        i.nameZh,
        String(i.bookings),
        String(i.bookedMinutes),
        i.usedHours.toFixed(2),
        String(i.noShows),
        yuan(i.billed),
      ]),
      [
        '合计 Total',
        String(s.bookings.count),
        String(s.bookings.bookedMinutes),
        s.bookings.usedHours.toFixed(2),
        String(s.bookings.noShows),
        yuan(s.bookings.billed),
      ],
    ],
    [0.3, 0.12, 0.16, 0.14, 0.12, 0.16],
  );

  heading('订单 Orders');
  table(
    [
      ['', '数量 Count', '金额 Amount'],
      ['已接受 Accepted', String(s.orders.accepted.count), yuan(s.orders.accepted.amount)],
      ['已出报告 Completed', String(s.orders.completed.count), yuan(s.orders.completed.amount)],
      ['已取消(取消费) Cancelled (fees)', String(s.orders.cancelled.count), yuan(s.orders.cancelled.fees)],
    ],
    [0.5, 0.2, 0.3],
  );

  heading('账单 Invoices');
  table(
    [
      ['编号 Number', '开具 Issued', '到期 Due', '客户 Customer', '金额 Total'],
      ...s.invoices.items.map((i) => [i.number, i.issuedOn, i.dueDate, i.customer.nameZh, yuan(i.total)]),
      ['账单合计 Invoices', String(s.invoices.issued.count), '', '', yuan(s.invoices.issued.amount)],
      ['红字合计 Credit notes', String(s.invoices.creditNotes.count), '', '', yuan(s.invoices.creditNotes.amount)],
      ['净额 Net invoiced', '', '', '', yuan(s.invoices.net)],
    ],
    [0.22, 0.14, 0.14, 0.3, 0.2],
  );

  heading('收款 Payments');
  table(
    [
      ['渠道 Channel', '笔数 Count', '金额 Amount'],
      ...s.payments.byChannel.map((c) => [CHANNEL_NAMES[c.channel] ?? c.channel, String(c.count), yuan(c.amount)]),
      ['合计 Total', '', yuan(s.payments.total)],
    ],
    [0.5, 0.2, 0.3],
  );

  heading('余额 Balances');
  const balances: string[][] = [
    ['', '金额 Amount'],
    ['期初应收 Opening receivables', yuan(s.receivables.opening)],
    ['期末应收 Closing receivables', yuan(s.receivables.closing)],
  ];
  if (s.vouchers) {
    balances.push(['创新券申领 Vouchers claimed', yuan(s.vouchers.claimed)]);
    balances.push(['创新券到账 Vouchers paid', yuan(s.vouchers.paid)]);
  }
  if (s.platformFee) balances.push(['平台服务费 Platform fee', yuan(s.platformFee)]);
  table(balances, [0.6, 0.4]);

  doc.end();
  return done;
}
