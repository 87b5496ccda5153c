import { formatYuan } from '../../lib/money.ts';
import { A4, borderedRow, margins, startCjkPdf } from '../../lib/pdf.ts';
import type { CommissionDocument } from './document.ts';

/**
 * The commission form (检验检测委托单) as the customer prints, signs and stamps it (签字盖章): the two
 * parties, the agreed tests with their prices, what the customer filled in on accepting the quote,
 * the turnaround and the fees, and a signature box for each side. Deterministic: the document's
 * dates are the acceptance instant, so the same order in the same state gives the same bytes.
 */

const PAGE = { ...A4, margin: 40 };
const BOTTOM = PAGE.height - PAGE.margin;

const TEST_SCOPE = { full: '全项检测 Full', single: '单项检测 Single item', partial: '部分项目 Partial' } as const;
const LEFTOVER = { return: '检后退还委托方 Returned', dispose: '由受理方处置 Disposed of by the lab' } as const;
const LANGUAGE = { zh: '中文 Chinese', en: '英文 English', both: '中英文 Chinese and English' } as const;
const DELIVERY = { pickup: '自取 Pick-up', post: '邮寄 By post', electronic: '电子版 Electronic' } as const;
const EXPEDITE = { none: '', h72: '≤72 小时 hours', h24: '≤24 小时 hours', h8: '≤8 小时 hours' } as const;
const UNITS: Record<string, string> = {
  sample: '样品',
  hour: '小时',
  item: '项',
  day: '天',
  person: '人',
  instrument: '台',
};

/** "¥ 12,345.00" */
const yuan = (fen: number) => `¥ ${formatYuan(fen).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const orBlank = (s: string) => s.trim() || '—';

export async function renderCommissionPdf(d: CommissionDocument): Promise<Buffer> {
  const { doc, done } = startCjkPdf({
    margins: margins(PAGE.margin),
    info: {
      Title: `检验检测委托单 ${d.orderNumber}`,
      Author: d.lab.nameZh,
      Subject: 'Commission form (test request)',
      Creator: 'QIHub',
      Producer: 'QIHub',
      CreationDate: d.acceptedAt,
      ModDate: d.acceptedAt,
    },
  });
  const left = PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;
  const c = d.commission;

  doc.font('cjk-bold').fontSize(12).text(d.lab.nameZh, left, PAGE.margin, { width, align: 'center' });
  doc.moveDown(0.2);
  doc.font('cjk-bold').fontSize(20).text('检验检测委托单', { width, align: 'center' });
  doc.font('cjk').fontSize(9).text('Commission form (test request)', { width, align: 'center' });
  doc.moveDown(0.4);
  const y0 = doc.y;
  doc
    .font('cjk')
    .fontSize(9.5)
    .text(`委托单编号 No.：${d.orderNumber}`, left, y0, { width: width / 2 });
  doc.text(`委托日期 Date：${d.acceptedOn}`, left + width / 2, y0, { width: width / 2, align: 'right' });
  doc.x = left;

  const heading = (text: string) => {
    if (doc.y + 40 > BOTTOM) doc.addPage();
    doc.moveDown(0.5).font('cjk-bold').fontSize(10.5).text(text, left, doc.y, { width });
    doc.moveDown(0.2);
  };
  // Label, value, label, value: the label columns narrow, on grey.
  const pairWidths = [92, width / 2 - 92, 92, width / 2 - 92];
  const pairs = (rows: [string, string, string, string][]) => {
    for (const row of rows) {
      borderedRow(
        doc,
        { left, widths: pairWidths, bottom: BOTTOM, fontSize: 8.5, align: ['left', 'left', 'left', 'left'] },
        row,
      );
    }
  };

  heading('一、委托方与受理方 Customer and laboratory');
  const cma = d.lab.cmaNumbers.join('、');
  const cnas = d.lab.cnasNumbers.join('、');
  pairs([
    ['委托单位 Customer', d.customer.nameZh, '受理机构 Laboratory', d.lab.nameZh],
    ['统一社会信用代码 Credit code', orBlank(d.customer.creditCode), 'CMA 证书编号', cma || '—'],
    ['地址 Address', orBlank(d.customer.address), 'CNAS 认可编号', cnas || '—'],
    ['联系人 Contact', orBlank(d.customer.contactName), '地址 Address', orBlank(d.lab.address)],
    [
      '电话/邮箱 Phone/e-mail',
      [d.customer.contactPhone, d.customer.contactEmail].filter(Boolean).join(' / ') || '—',
      '电话/邮箱 Phone/e-mail',
      [d.lab.phone, d.lab.email].filter(Boolean).join(' / ') || '—',
    ],
  ]);

  heading('二、委托检测项目 Agreed tests');
  const lineWidths = [28, 130, 127, 60, 50, 60, 60];
  const rowOf = (cells: string[], header = false) =>
    borderedRow(
      doc,
      {
        left,
        widths: lineWidths.map((w) => (w * width) / 515),
        bottom: BOTTOM,
        header,
        fontSize: 8.5,
        align: ['center', 'left', 'left', 'right', 'right', 'right', 'right'],
      },
      cells,
    );
  rowOf(
    [
      '序号',
      '检测项目 Parameter',
      '检测方法/标准 Method',
      '数量 Qty',
      '样品数 Samples',
      '单价 Unit price',
      '金额 Amount',
    ],
    true,
  );
  for (const l of d.lines) {
    rowOf([
      String(l.position),
      l.parameterZh || l.descriptionZh,
      orBlank(l.standardCode),
      `${l.quantity} ${UNITS[l.unit] ?? l.unit}`,
      l.sampleCount === null ? '—' : String(l.sampleCount),
      yuan(l.unitPriceFen),
      yuan(l.amountFen),
    ]);
  }

  heading('三、样品与委托信息 Sample and commission details');
  pairs([
    ['样品名称 Sample', c.sampleName, '规格型号 Specification', orBlank(c.specification)],
    ['生产单位 Manufacturer', orBlank(c.manufacturer), '商标 Trademark', orBlank(c.trademark)],
    ['批号 Batch', orBlank(c.batch), '样品数量 Quantity', String(c.quantity)],
    ['生产日期 Produced', c.productionDate ?? '—', '包装情况 Packaging', orBlank(c.packagingCondition)],
    ['检测类别 Scope', TEST_SCOPE[c.testScope], '检测目的 Purpose', c.purpose],
    ['检测依据 Test basis', c.testBasis, '判定依据 Evaluation', orBlank(c.evaluationBasis)],
    [
      '分包 Subcontracting',
      c.subcontractingAllowed ? '同意分包 Allowed' : '不同意分包 Not allowed',
      '余样处理 Leftover samples',
      LEFTOVER[c.leftoverSamples],
    ],
    ['储存条件 Storage', orBlank(c.storageConditions), '报告份数 Report copies', `${c.reportCopies} 份 copies`],
    [
      '报告语言 Language',
      LANGUAGE[c.reportLanguage],
      '报告交付 Delivery',
      c.reportDelivery === 'post' ? `${DELIVERY.post}：${c.deliveryAddress}` : DELIVERY[c.reportDelivery],
    ],
  ]);

  heading('四、检测时限与费用 Turnaround and fees');
  const t = d.turnaround;
  const tier =
    t.expedite !== 'none'
      ? `加急 Expedite ${EXPEDITE[t.expedite]}（+${t.expeditePct}%）`
      : `${t.deadlineTierDays ?? '—'} 个工作日 working days`;
  const start = t.needsSamples ? '自收齐样品起算 from sample receipt' : '自委托确认起算 from acceptance';
  pairs([
    ['检测时限 Turnaround', `${tier}，${start}`, '承诺完成 Due', t.dueOn ?? '收样后确定 set on receipt'],
    [
      '检测费 Subtotal',
      yuan(d.fees.subtotalFen),
      '加急费 Surcharge',
      `${yuan(d.fees.surchargeFen)}${d.fees.surchargeWaived ? '（逾期免收 waived: late）' : ''}`,
    ],
    ['费用合计 Total', `${yuan(d.fees.totalFen)}（人民币 CNY）`, '订单 Order', d.titleZh],
  ]);

  doc.moveDown(0.5);
  doc
    .font('cjk')
    .fontSize(7.5)
    .fillColor('#444')
    .text(
      '说明：委托方对所提供样品及资料的真实性负责；检测结果仅对所检样品负责。委托方签字盖章即确认以上检测项目、方法、时限与费用。\n' +
        'The customer answers for the samples and information it provides; results apply to the samples tested only. ' +
        'By signing and stamping, the customer confirms the tests, methods, turnaround and fees above.',
      left,
      doc.y,
      { width },
    )
    .fillColor('black');

  // The two signature boxes, side by side; on a new page when they would not fit.
  const boxHeight = 104;
  if (doc.y + 12 + boxHeight > BOTTOM) doc.addPage();
  const by = doc.y + 12;
  const gap = 14;
  const boxWidth = (width - gap) / 2;
  const box = (x: number, titleZh: string, titleEn: string) => {
    doc.save().lineWidth(0.8).strokeColor('#555').rect(x, by, boxWidth, boxHeight).stroke().restore();
    doc
      .font('cjk-bold')
      .fontSize(10)
      .text(titleZh, x + 8, by + 8, { width: boxWidth - 16 });
    doc
      .font('cjk')
      .fontSize(8)
      .fillColor('#555')
      .text(titleEn, { width: boxWidth - 16 })
      .fillColor('black');
    doc
      .font('cjk')
      .fontSize(9.5)
      .text('日期 Date：        年      月      日', x + 8, by + boxHeight - 22, { width: boxWidth - 16 });
  };
  box(left, '委托方签字（盖章）', 'Customer: signature and company stamp');
  box(left + boxWidth + gap, '受理方签字', 'Laboratory: received by (signature)');
  doc.x = left;
  doc.y = by + boxHeight;

  doc.end();
  return done;
}
