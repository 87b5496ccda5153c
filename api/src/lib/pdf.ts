import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';

/**
 * What every PDF the platform renders shares (reports, payment notices, statements, commission
 * forms): an A4 pdfkit document whose Chinese text is set in Noto Sans Hans — shipped by an npm
 * package and subset into the file by pdfkit (fontkit) — registered as `cjk` and `cjk-bold`, and
 * collected into one Buffer. The caller passes fixed document dates so a re-render gives the same
 * bytes (pdfkit derives the file ID from them).
 */

const require = createRequire(import.meta.url);

/** Folder of the OTF files of the npm font package (its main entry lives in dist/). */
function fontDir(): string {
  return path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
}
export const CJK_FONT_REGULAR = () => path.join(fontDir(), 'NotoSansHans-Regular.otf');
export const CJK_FONT_BOLD = () => path.join(fontDir(), 'NotoSansHans-Bold.otf');

/** A4 in PDF points. */
export const A4 = { width: 595.28, height: 841.89 };

export interface CjkPdfOptions {
  margins: { top: number; bottom: number; left: number; right: number };
  info: PDFKit.DocumentInfo;
  bufferPages?: boolean;
}

/** A new A4 document with the CJK fonts registered, and the promise of its bytes once `doc.end()` is called. */
export function startCjkPdf(options: CjkPdfOptions): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margins: options.margins,
    ...(options.bufferPages ? { bufferPages: true } : {}),
    info: options.info,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', CJK_FONT_REGULAR());
  doc.registerFont('cjk-bold', CJK_FONT_BOLD());
  return { doc, done };
}

/** The same margin on every side. */
export const margins = (m: number) => ({ top: m, bottom: m, left: m, right: m });

export interface RowLayout {
  left: number;
  widths: number[];
  /** The lowest y a row may reach before it goes onto a new page. */
  bottom: number;
  /** A header row: bold on grey. */
  header?: boolean;
  fontSize?: number;
  /** Per cell; by default the first cell is left-aligned and the others (figures) right-aligned. */
  align?: ('left' | 'right' | 'center')[];
}

/** One row of a bordered table, as tall as its tallest cell; starts a new page when it would not fit. */
export function borderedRow(doc: PDFKit.PDFDocument, layout: RowLayout, cells: string[]) {
  const pad = 4;
  const { left, widths, header = false } = layout;
  doc.font(header ? 'cjk-bold' : 'cjk').fontSize(layout.fontSize ?? 9.5);
  const h = Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 2 * pad }))) + 2 * pad;
  if (doc.y + h > layout.bottom) doc.addPage();
  const y = doc.y;
  let x = left;
  cells.forEach((c, i) => {
    const w = widths[i]!;
    if (header) doc.save().rect(x, y, w, h).fill('#eee').restore();
    doc.save().lineWidth(0.5).strokeColor('#888').rect(x, y, w, h).stroke().restore();
    const align = layout.align?.[i] ?? (i === 0 ? 'left' : 'right');
    doc.fillColor('black').text(c || ' ', x + pad, y + pad, { width: w - 2 * pad, align });
    x += w;
  });
  doc.x = left;
  doc.y = y + h;
}
