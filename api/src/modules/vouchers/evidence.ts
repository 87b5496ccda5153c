import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Booking, DbOrTx, Order, Payment, Report, VoucherClaim } from '@qihub/db';
import { ZipFile } from 'yazl';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { notFound } from '../../lib/errors.ts';
import { invoiceById, invoiceViews } from '../invoices/index.ts';
import { adminPlatforms, isLabBiller } from './access.ts';
import type { VoucherDeps } from './programmes.ts';
import * as claims from './repository/claims.ts';
import * as progs from './repository/programmes.ts';

/**
 * The evidence pack of a redemption claim (兑付材料), built from the data, never uploaded by hand:
 * the commission form or booking record, the invoice, proof of the customer's own payment, and the
 * report PDF or the instrument's usage record. Every entry carries the claim's submission time, so
 * the same claim always gives the same bytes.
 */

export interface EvidenceFile {
  name: string;
  bytes: Buffer;
}

const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8');
const text = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');
const yuan = (fen: number | null | undefined) => ((fen ?? 0) / 100).toFixed(2);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function paymentsCsv(rows: Payment[]): Buffer {
  const head = ['id', 'channel', 'amount_fen', 'currency', 'received_on', 'bank_line_id', 'external_id', 'note'];
  const body = rows.map((p) =>
    [p.id, p.channel, p.amountFen, p.currency, p.receivedOn, p.bankLineId, p.externalId, p.note].map(csvCell).join(','),
  );
  return Buffer.from(`\uFEFF${[head.join(','), ...body].join('\r\n')}\r\n`, 'utf8');
}

/** A stored report PDF, only when its bytes still match the hash recorded at issue. */
async function storedPdf(filesDir: string, r: Pick<Report, 'pdfPath' | 'pdfSha256'>): Promise<Buffer | null> {
  if (!r.pdfPath || !r.pdfSha256) return null;
  const root = path.resolve(filesDir);
  const abs = path.resolve(root, r.pdfPath);
  if (!abs.startsWith(root + path.sep)) return null;
  const bytes = await readFile(abs).catch(() => null);
  return bytes && sha256(bytes) === r.pdfSha256 ? bytes : null;
}

function orderText(o: Order, lines: Awaited<ReturnType<typeof claims.orderLinesOf>>): string[] {
  const c = o.commission;
  return [
    '委托单 / Commission form',
    `订单号 Order: ${o.number}`,
    `状态 Status: ${o.status}`,
    `接受时间 Accepted: ${o.acceptedAt?.toISOString() ?? '-'}`,
    `合计 Total: ¥${yuan(o.totalFen)} (含加急 surcharge ¥${yuan(o.surchargeFen)})`,
    '',
    '项目 Lines:',
    ...lines.map(
      (l) =>
        `  ${l.position}. [${l.kind}] ${l.descriptionZh} ${l.standardCode} × ${l.quantity} ${l.unit} = ¥${yuan(l.amountFen)}`,
    ),
    '',
    ...(c
      ? [
          `样品名称 Sample: ${c.sampleName}`,
          `规格型号 Specification: ${c.specification}`,
          `生产单位 Manufacturer: ${c.manufacturer}`,
          `数量 Quantity: ${c.quantity}`,
          `检测目的 Purpose: ${c.purpose}`,
          `检测依据 Test basis: ${c.testBasis}`,
          `报告份数 Report copies: ${c.reportCopies}`,
        ]
      : ['(无委托单 no commission form)']),
  ];
}

function bookingText(b: Booking, instrument: { name_zh: string; model: string | null }): string[] {
  return [
    '预约记录 / Booking record',
    `预约 Booking: ${b.id}`,
    `仪器 Instrument: ${instrument.name_zh}${instrument.model ? ` (${instrument.model})` : ''}`,
    `方式 Mode: ${b.mode}`,
    `预约时段 Booked: ${b.startsAt.toISOString()} – ${b.endsAt.toISOString()}`,
    `状态 Status: ${b.status}`,
    `价格 Price: ¥${yuan(b.priceAmount)}`,
  ];
}

function usageText(b: Booking): string[] {
  return [
    '上机记录 / Usage log',
    `签到 Check-in: ${b.actualStart?.toISOString() ?? '-'}`,
    `签退 Check-out: ${b.actualEnd?.toISOString() ?? '-'}`,
    `计费分钟 Billable minutes: ${b.billableMinutes ?? '-'}`,
    `计费金额 Billed: ¥${yuan(b.billedAmount)}`,
    `迟到 Late arrival: ${b.lateArrival ? '是 yes' : '否 no'}`,
  ];
}

/** The files of the pack, in their fixed order (the manifest and the README come first). */
export async function evidenceFiles(db: DbOrTx, filesDir: string, claim: VoucherClaim): Promise<EvidenceFile[]> {
  const p = (await progs.findProgramme(db, claim.programmeId))!;
  const invoice = (await invoiceById(db, claim.invoiceId))!;
  const [invoiceView] = await invoiceViews(db, [invoice], claim.submittedAt);
  const src = await claims.sourcesOfInvoice(db, claim.invoiceId);
  const files: EvidenceFile[] = [];
  for (const o of src.orders) {
    const lines = await claims.orderLinesOf(db, o.id);
    files.push({ name: `1-commission/order-${o.number}.json`, bytes: json({ order: o, lines }) });
    files.push({ name: `1-commission/order-${o.number}.txt`, bytes: text(orderText(o, lines)) });
  }
  for (const b of src.bookings) {
    const instrument = await claims.instrumentNameOf(db, b.instrumentId);
    files.push({ name: `1-booking/booking-${b.id}.json`, bytes: json({ booking: b, instrument }) });
    files.push({ name: `1-booking/booking-${b.id}.txt`, bytes: text(bookingText(b, instrument)) });
  }
  files.push({ name: `2-invoice/invoice-${invoice.number}.json`, bytes: json(invoiceView) });
  const paid = (await claims.customerPaymentsOf(db, claim.invoiceId)).filter((x) => x.channel !== 'voucher');
  files.push({ name: '3-payments/payments.json', bytes: json(paid) });
  files.push({ name: '3-payments/payments.csv', bytes: paymentsCsv(paid) });
  for (const o of src.orders) {
    const reports = await claims.issuedReportsOf(db, o.id);
    let any = false;
    for (const r of reports) {
      const pdf = await storedPdf(filesDir, r);
      if (pdf) {
        files.push({ name: `4-report/${r.number ?? r.id}.pdf`, bytes: pdf });
        any = true;
      }
    }
    if (!any) {
      files.push({
        name: `4-report/order-${o.number}-reports.json`,
        bytes: json(reports.map((r) => ({ id: r.id, number: r.number, status: r.status, issuedAt: r.issuedAt }))),
      });
    }
  }
  for (const b of src.bookings) {
    const log = {
      bookingId: b.id,
      actualStart: b.actualStart,
      actualEnd: b.actualEnd,
      billableMinutes: b.billableMinutes,
      billedAmount: b.billedAmount,
      lateArrival: b.lateArrival,
    };
    files.push({ name: `4-usage/usage-${b.id}.json`, bytes: json(log) });
    files.push({ name: `4-usage/usage-${b.id}.txt`, bytes: text(usageText(b)) });
  }
  const readme = text([
    '创新券兑付材料 / Innovation voucher redemption evidence',
    `兑付申请 Claim: ${claim.id}`,
    `计划 Programme: ${p.nameZh}${p.nameEn ? ` / ${p.nameEn}` : ''}`,
    `账单 Invoice: ${invoice.number}  合计 total ¥${yuan(invoice.totalFen)}`,
    `创新券支付 Voucher share: ¥${yuan(claim.amountFen)}`,
    `客户自付 Self-paid: ¥${yuan(invoice.amountPaidFen)}`,
    `提交时间 Submitted: ${claim.submittedAt.toISOString()}`,
    '',
    '文件 Files:',
    ...files.map((f) => `  ${f.name}`),
  ]);
  const manifest = json({
    claimId: claim.id,
    invoiceId: claim.invoiceId,
    amountFen: claim.amountFen,
    submittedAt: claim.submittedAt.toISOString(),
    files: [{ name: 'README.txt', bytes: readme }, ...files].map((f) => ({
      name: f.name,
      bytes: f.bytes.length,
      sha256: sha256(f.bytes),
    })),
  });
  return [{ name: 'manifest.json', bytes: manifest }, { name: 'README.txt', bytes: readme }, ...files];
}

export async function zipOf(files: EvidenceFile[], mtime: Date): Promise<Buffer> {
  const zip = new ZipFile();
  for (const f of files) zip.addBuffer(f.bytes, f.name, { mtime, mode: 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The claim's lab managers and staff, and the admins of its programme's platform, may fetch the pack. */
export async function evidencePack(
  deps: VoucherDeps & { filesDir: string },
  actor: Actor | null,
  labId: string,
  claimId: string,
) {
  const a = requireActor(actor);
  const claim = await claims.findClaim(deps.db, claimId);
  if (!claim || claim.labId !== labId) throw notFound('voucher claim');
  const p = (await progs.findProgramme(deps.db, claim.programmeId))!;
  if (!isLabBiller(a, labId) && !adminPlatforms(a).includes(p.issuerOrgId)) throw notFound('voucher claim');
  const files = await evidenceFiles(deps.db, deps.filesDir, claim);
  return { filename: `voucher-claim-${claim.id}.zip`, bytes: await zipOf(files, claim.submittedAt) };
}
