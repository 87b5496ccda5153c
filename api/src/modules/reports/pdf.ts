import QRCode from 'qrcode';
import { A4, startCjkPdf } from '../../lib/pdf.ts';

/**
 * The report PDF: an A4 document with the lab, title, number, CMA/CNAS marks (only when an item is
 * inside a valid scope on the issue date), customer and sample, results, conclusion, the three
 * signatures, page numbers and a QR code to the public verification page. Chinese text is set in
 * Noto Sans Hans, shipped by an npm package and subset into the file by pdfkit (fontkit).
 */

export type ReportKind = 'test' | 'certificate' | 'deliverable';
export type ReportLanguage = 'zh' | 'en' | 'both';

export interface PdfResultItem {
  parameterZh: string;
  parameterEn: string;
  standardCode: string;
  requirement: string;
  result: string;
  unit: string;
  verdict: 'pass' | 'fail' | 'info';
  inCmaScope: boolean;
  inCnasScope: boolean;
}

export interface PdfInstrument {
  instrumentName: string;
  model: string;
  serialNumber: string;
  measuringRange: string;
  accuracyClass: string;
  nextDueOn: string;
}

export interface ReportPdfData {
  kind: ReportKind;
  language: ReportLanguage;
  number: string;
  labNameZh: string;
  labNameEn: string;
  customerNameZh: string;
  orderNumber: string;
  /** Certificate numbers printed with the marks, when the marks are printed. */
  cmaMark: { number: string } | null;
  cnasMark: { number: string } | null;
  sample: {
    sampleName: string;
    specification: string;
    manufacturer: string;
    batch: string;
    quantity: string;
    receiptDate: string;
    testBasis: string;
    evaluationBasis: string;
    purpose: string;
  };
  results: PdfResultItem[];
  instruments: PdfInstrument[];
  conclusionZh: string;
  conclusionEn: string;
  testerName: string;
  reviewerName: string;
  signatoryName: string;
  /** YYYY-MM-DD (China date). */
  issueDate: string;
  /** Used as the PDF's creation date, so a re-render of the same report has the same metadata. */
  issuedAt: Date;
  verificationUrl: string;
  verificationCode: string;
  /** The report this one replaces, printed as a note. */
  replacesNumber: string | null;
}

/** The QR code (PNG) of a verification URL; the PDF embeds exactly these bytes. */
export async function verificationQrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}

export function verificationUrl(webUrl: string, code: string): string {
  return `${webUrl.replace(/\/+$/, '')}/verify/${encodeURIComponent(code)}`;
}

const TITLES: Record<ReportKind, { zh: string; en: string }> = {
  test: { zh: '检验检测报告', en: 'Test Report' },
  certificate: { zh: '校准证书', en: 'Calibration Certificate' },
  deliverable: { zh: '服务报告', en: 'Service Report' },
};

const VERDICTS: Record<PdfResultItem['verdict'], { zh: string; en: string }> = {
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
  info: { zh: '—', en: '' },
};

export const OUT_OF_SCOPE_NOTE = '* 不在资质认定/认可范围内 / outside accredited scope';

const PAGE = { ...A4, margin: 50, footer: 36 };

/** Renders the report; resolves to the complete PDF bytes. */
export async function renderReportPdf(data: ReportPdfData): Promise<Buffer> {
  const qr = await verificationQrPng(data.verificationUrl);
  const { doc, done } = startCjkPdf({
    margins: { top: PAGE.margin, bottom: PAGE.margin + PAGE.footer, left: PAGE.margin, right: PAGE.margin },
    bufferPages: true,
    info: {
      Title: `${TITLES[data.kind].zh} ${data.number}`,
      Author: data.labNameZh,
      Subject: TITLES[data.kind].en,
      Creator: 'QIHub',
      CreationDate: data.issuedAt,
      ModDate: data.issuedAt,
    },
  });
  const bilingual = data.language !== 'zh';
  const label = (zh: string, en: string) => (bilingual ? `${zh} ${en}` : zh);
  const left = PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;
  const bottom = () => PAGE.height - PAGE.margin - PAGE.footer;
  const ensure = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };

  // Header: lab, marks, title, number.
  doc
    .font('cjk-bold')
    .fontSize(13)
    .text(data.labNameZh, left, PAGE.margin, { width: width - 130 });
  if (data.labNameEn)
    doc
      .font('cjk')
      .fontSize(8)
      .fillColor('#444')
      .text(data.labNameEn, { width: width - 130 });
  doc.fillColor('black');
  drawMarks(doc, data, PAGE.width - PAGE.margin - 120, PAGE.margin);
  doc.y = Math.max(doc.y, PAGE.margin + 58);
  doc.moveDown(0.8);
  doc.font('cjk-bold').fontSize(22).text(TITLES[data.kind].zh, left, doc.y, { width, align: 'center' });
  if (bilingual) doc.font('cjk').fontSize(11).text(TITLES[data.kind].en, { width, align: 'center' });
  doc.moveDown(0.5);
  doc
    .font('cjk')
    .fontSize(11)
    .text(
      `${data.kind === 'certificate' ? label('证书编号', 'Certificate No.') : label('报告编号', 'Report No.')}：${data.number}`,
      left,
      doc.y,
      { width, align: 'center' },
    );
  if (data.replacesNumber) {
    doc
      .fontSize(9)
      .fillColor('#a00')
      .text(
        `${label('本报告替代', 'This report replaces')} ${data.replacesNumber}${bilingual ? '' : '，原报告作废'}`,
        left,
        doc.y,
        { width, align: 'center' },
      )
      .fillColor('black');
  }
  doc.moveDown(1);

  // Customer and sample.
  const s = data.sample;
  const info: [string, string][] = [
    [label('委托单位', 'Customer'), data.customerNameZh],
    [label('委托单号', 'Order No.'), data.orderNumber],
    [label('样品名称', 'Sample name'), s.sampleName],
    [label('型号规格', 'Model'), s.specification],
    [label('生产单位', 'Manufacturer'), s.manufacturer],
    [label('批号', 'Batch'), s.batch],
    [label('样品数量', 'Quantity'), s.quantity],
    [label('收样日期', 'Received on'), s.receiptDate],
    [label('检验目的', 'Purpose'), s.purpose],
    [label('检验依据', 'Test basis'), s.testBasis],
    [label('判定依据', 'Evaluation basis'), s.evaluationBasis],
  ];
  drawTable(
    doc,
    [{ width: 150 }, { width: width - 150 }],
    info.filter(([, v]) => v !== '').map(([k, v]) => [k, v]),
    { header: null, ensure, left },
  );
  doc.moveDown(1);

  // Calibrated instruments (certificates).
  if (data.instruments.length > 0) {
    ensure(40);
    doc.font('cjk-bold').fontSize(11).text(label('被校仪器', 'Instruments calibrated'), left, doc.y);
    doc.moveDown(0.3);
    drawTable(
      doc,
      [{ width: 110 }, { width: 75 }, { width: 80 }, { width: 90 }, { width: 70 }, { width: width - 425 }],
      data.instruments.map((i) => [
        i.instrumentName,
        i.model,
        i.serialNumber,
        i.measuringRange,
        i.accuracyClass,
        i.nextDueOn,
      ]),
      {
        header: [
          label('名称', 'Name'),
          label('型号', 'Model'),
          label('出厂编号', 'Serial No.'),
          label('测量范围', 'Range'),
          label('准确度', 'Accuracy'),
          label('建议复校日期', 'Next due'),
        ],
        ensure,
        left,
      },
    );
    doc.moveDown(1);
  }

  // Results.
  ensure(40);
  doc
    .font('cjk-bold')
    .fontSize(11)
    .text(
      data.kind === 'certificate' ? label('校准结果', 'Calibration results') : label('检测结果', 'Results'),
      left,
      doc.y,
    );
  doc.moveDown(0.3);
  const anyOutside = data.results.some((r) => !r.inCmaScope && !r.inCnasScope);
  drawTable(
    doc,
    [{ width: 28 }, { width: 100 }, { width: 88 }, { width: 80 }, { width: 80 }, { width: 44 }, { width: width - 420 }],
    data.results.map((r, i) => {
      const star = !r.inCmaScope && !r.inCnasScope ? '*' : '';
      const parameter = bilingual && r.parameterEn ? `${r.parameterZh}\n${r.parameterEn}` : r.parameterZh;
      const verdict = VERDICTS[r.verdict];
      return [
        `${i + 1}${star}`,
        `${star}${parameter}`,
        r.standardCode,
        r.requirement,
        r.result,
        r.unit,
        bilingual && verdict.en ? `${verdict.zh} ${verdict.en}` : verdict.zh,
      ];
    }),
    {
      header: [
        label('序号', 'No.'),
        label('检测项目', 'Parameter'),
        label('检测方法', 'Standard'),
        label('技术要求', 'Requirement'),
        label('检测结果', 'Result'),
        label('单位', 'Unit'),
        label('单项判定', 'Verdict'),
      ],
      ensure,
      left,
    },
  );
  if (anyOutside) {
    doc.moveDown(0.3);
    doc.font('cjk').fontSize(8).text(OUT_OF_SCOPE_NOTE, left, doc.y, { width });
  }
  doc.moveDown(1);

  // Conclusion.
  ensure(50);
  doc
    .font('cjk-bold')
    .fontSize(11)
    .text(data.kind === 'certificate' ? label('校准结论', 'Conclusion') : label('检验结论', 'Conclusion'), left, doc.y);
  doc
    .font('cjk')
    .fontSize(10)
    .text(data.conclusionZh || '—', { width });
  if (bilingual && data.conclusionEn) doc.fontSize(9).text(data.conclusionEn, { width });
  doc.moveDown(1.2);

  // Signatures and the QR code, kept together.
  ensure(130);
  const top = doc.y;
  doc.font('cjk').fontSize(10);
  const sig: [string, string][] = [
    [label('检测', 'Tested by'), data.testerName],
    [label('审核', 'Reviewed by'), data.reviewerName],
    [label('批准（授权签字人）', 'Approved by (authorised signatory)'), data.signatoryName],
    [label('签发日期', 'Date of issue'), data.issueDate],
  ];
  for (const [k, v] of sig) doc.text(`${k}：${v}`, left, doc.y, { width: width - 120 });
  doc.image(qr, PAGE.width - PAGE.margin - 100, top, { width: 100, height: 100 });
  doc
    .fontSize(7)
    .text(label('扫码验证报告真伪', 'Scan to verify'), PAGE.width - PAGE.margin - 110, top + 102, {
      width: 120,
      align: 'center',
    })
    .text(data.verificationCode, { width: 120, align: 'center' });
  doc.y = Math.max(doc.y, top + 130);
  doc.moveDown(0.6);
  doc
    .fontSize(8)
    .fillColor('#444')
    .text(
      `${bilingual ? '本报告仅对所检样品负责；未经本机构书面批准，不得部分复制本报告。The results relate only to the items tested; this report shall not be reproduced except in full without written approval.' : '本报告仅对所检样品负责；未经本机构书面批准，不得部分复制本报告。'} ${label('验证网址', 'Verify at')}：${data.verificationUrl}`,
      left,
      doc.y,
      { width },
    )
    .fillColor('black');

  // Page numbers on every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const n = i - range.start + 1;
    const text = bilingual
      ? `${data.number}    第 ${n} 页 共 ${range.count} 页 / Page ${n} of ${range.count}`
      : `${data.number}    第 ${n} 页 共 ${range.count} 页`;
    doc
      .font('cjk')
      .fontSize(8)
      .text(text, left, PAGE.height - PAGE.margin - 12, { width, align: 'center', lineBreak: false, height: 12 });
  }
  doc.end();
  return done;
}

function drawMarks(doc: PDFKit.PDFDocument, data: ReportPdfData, x: number, y: number) {
  const marks = [
    data.cmaMark ? { text: 'CMA', number: data.cmaMark.number } : null,
    data.cnasMark ? { text: 'CNAS', number: data.cnasMark.number } : null,
  ].filter((m): m is { text: string; number: string } => m !== null);
  let cx = x;
  for (const m of marks) {
    doc.save().lineWidth(1.2).strokeColor('#b00').rect(cx, y, 56, 34).stroke().restore();
    doc
      .font('cjk-bold')
      .fontSize(13)
      .fillColor('#b00')
      .text(m.text, cx, y + 2, { width: 56, align: 'center' });
    doc
      .font('cjk')
      .fontSize(6)
      .text(m.number, cx, y + 21, { width: 56, align: 'center' })
      .fillColor('black');
    cx += 62;
  }
}

interface TableOptions {
  header: string[] | null;
  ensure: (height: number) => void;
  left: number;
}

function drawTable(doc: PDFKit.PDFDocument, columns: { width: number }[], rows: string[][], options: TableOptions) {
  const pad = 3;
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'cjk-bold' : 'cjk').fontSize(8.5);
    const heights = cells.map((c, i) => doc.heightOfString(c || ' ', { width: columns[i]!.width - 2 * pad }));
    const h = Math.max(...heights) + 2 * pad;
    options.ensure(h);
    const y = doc.y;
    let x = options.left;
    cells.forEach((c, i) => {
      const w = columns[i]!.width;
      if (bold) doc.save().rect(x, y, w, h).fill('#eee').restore();
      doc.save().lineWidth(0.5).strokeColor('#888').rect(x, y, w, h).stroke().restore();
      doc.fillColor('black').text(c || ' ', x + pad, y + pad, { width: w - 2 * pad });
      x += w;
    });
    doc.x = options.left;
    doc.y = y + h;
  };
  if (options.header) drawRow(options.header, true);
  for (const r of rows) drawRow(r, false);
}
