import { formatYuan } from '../../lib/money.ts';
import { A4, borderedRow, margins, startCjkPdf } from '../../lib/pdf.ts';
import { localDate } from '../../lib/time.ts';

/**
 * The payment notice (付款通知书) of an invoice: who bills whom, the lines with their VAT rate, the
 * total, the voucher share and the amount due, the issuer's own bank account (the platform never
 * holds the money) and the payment reference in large type, to be put in the transfer's remark so
 * the lab's bank statement can be matched. Set in Noto Sans Hans (the font the report PDFs use).
 * Deterministic: the document's dates are the invoice's issue instant and nothing random goes in,
 * so the same invoice always gives the same bytes.
 */

export interface PaymentNoticeData {
  number: string;
  kind: 'invoice' | 'credit_note';
  status: string;
  issuerNameZh: string;
  customerNameZh: string;
  issuedAt: Date;
  dueDate: string;
  lines: { description: string; amountFen: number; taxRateBp: number }[];
  totalFen: number;
  taxFen: number;
  voucherShareFen: number;
  amountPaidFen: number;
  amountCreditedFen: number;
  amountDueFen: number;
  paymentReference: string;
  payee: { accountName: string; bankName: string; accountNumber: string };
  reason: string | null;
}

const PAGE = { ...A4, margin: 50 };
const STATUS_ZH: Record<string, string> = {
  open: '待付款',
  partially_paid: '部分付款',
  paid: '已付清',
  void: '已作废',
};

const yuan = (fen: number) => `¥ ${formatYuan(fen).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

export async function renderPaymentNotice(d: PaymentNoticeData): Promise<Buffer> {
  const title = d.kind === 'invoice' ? '付款通知书' : '红字账单';
  const { doc, done } = startCjkPdf({
    margins: margins(PAGE.margin),
    info: {
      Title: `${title} ${d.number}`,
      Author: d.issuerNameZh,
      Subject: d.kind === 'invoice' ? 'Payment notice' : 'Credit note',
      Creator: 'QIHub',
      CreationDate: d.issuedAt,
      ModDate: d.issuedAt,
    },
  });
  const left = PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;

  doc.font('cjk-bold').fontSize(13).text(d.issuerNameZh, left, PAGE.margin, { width, align: 'center' });
  doc.moveDown(0.3);
  doc.font('cjk-bold').fontSize(22).text(title, { width, align: 'center' });
  doc
    .font('cjk')
    .fontSize(10)
    .text(d.kind === 'invoice' ? 'Payment notice' : 'Credit note', { width, align: 'center' });
  doc.moveDown(1);

  const facts: [string, string][] = [
    ['账单编号 No.', d.number],
    ['开具单位 Issuer', d.issuerNameZh],
    ['付款单位 Customer', d.customerNameZh],
    ['开具日期 Issued', localDate(d.issuedAt)],
    ['付款期限 Due', d.dueDate],
    ['状态 Status', `${STATUS_ZH[d.status] ?? d.status} (${d.status})`],
  ];
  if (d.reason) facts.push(['说明 Note', d.reason]);
  doc.font('cjk').fontSize(10);
  for (const [k, v] of facts) {
    const y = doc.y;
    doc.font('cjk').fillColor('#555').text(k, left, y, { width: 130 });
    doc.fillColor('black').text(v, left + 130, y, { width: width - 130 });
    doc.moveDown(0.2);
  }
  doc.moveDown(0.8);

  const cols = [width - 200, 70, 130];
  const table = (cells: string[], header: boolean) =>
    borderedRow(doc, { left, widths: cols, bottom: PAGE.height - PAGE.margin, header }, cells);
  table(['项目 Item', '税率 VAT', '金额(含税) Amount'], true);
  for (const l of d.lines) {
    table([l.description, `${l.taxRateBp / 100}%`, yuan(l.amountFen)], false);
  }
  doc.moveDown(0.6);

  const sums: [string, number][] = [
    ['合计(含税) Total incl. VAT', d.totalFen],
    ['其中税额 of which VAT', d.taxFen],
  ];
  sums.push(['创新券支付 Voucher share', -d.voucherShareFen]);
  if (d.amountCreditedFen > 0) sums.push(['红字冲减 Credited', -d.amountCreditedFen]);
  if (d.amountPaidFen > 0) sums.push(['已付 Paid', -d.amountPaidFen]);
  for (const [k, v] of sums) {
    const y = doc.y;
    doc
      .font('cjk')
      .fontSize(10)
      .text(k, left + width - 330, y, { width: 200, align: 'right' });
    doc.text(yuan(v), left + width - 130, y, { width: 130, align: 'right' });
  }
  const y = doc.y + 4;
  doc
    .font('cjk-bold')
    .fontSize(13)
    .text('应付金额 Amount due', left + width - 330, y, { width: 200, align: 'right' });
  doc.text(yuan(d.amountDueFen), left + width - 130, y, { width: 130, align: 'right' });
  doc.moveDown(1.5);

  if (d.kind === 'invoice') {
    doc.font('cjk-bold').fontSize(12).text('收款账户 Pay to (the issuer’s own account)', left, doc.y, { width });
    doc.moveDown(0.3);
    for (const [k, v] of [
      ['户名 Account name', d.payee.accountName || '（未设置 not set）'],
      ['开户行 Bank', d.payee.bankName || '（未设置 not set）'],
      ['账号 Account no.', d.payee.accountNumber || '（未设置 not set）'],
    ] as const) {
      const ry = doc.y;
      doc.font('cjk').fontSize(11).fillColor('#555').text(k, left, ry, { width: 130 });
      doc.fillColor('black').text(v, left + 130, ry, { width: width - 130 });
      doc.moveDown(0.2);
    }
    doc.moveDown(1);
    const boxY = doc.y;
    doc.save().lineWidth(1.5).rect(left, boxY, width, 118).stroke().restore();
    doc
      .font('cjk')
      .fontSize(11)
      .text('付款识别码 Payment reference', left, boxY + 10, { width, align: 'center' });
    doc
      .font('cjk-bold')
      .fontSize(34)
      .text(d.paymentReference, left, boxY + 28, { width, align: 'center' });
    doc
      .font('cjk')
      .fontSize(10)
      .text('转账时请务必在附言（摘要/用途）中填写付款识别码，以便自动核对到账。', left + 10, boxY + 78, {
        width: width - 20,
        align: 'center',
      })
      .text('Put the payment reference in the transfer’s remark so the payment is matched to this invoice.', {
        width: width - 20,
        align: 'center',
      });
    doc.y = boxY + 130;
  }
  doc
    .font('cjk')
    .fontSize(8)
    .fillColor('#777')
    .text(
      '本通知书由 QIHub 平台代开具单位制作；款项直接支付给开具单位，平台不代收款项。本通知书不是增值税发票。\n' +
        'Prepared by QIHub for the issuer; payment goes straight to the issuer, never through the platform. This notice is not a VAT fapiao.',
      left,
      doc.y + 10,
      { width },
    );
  doc.end();
  return done;
}
