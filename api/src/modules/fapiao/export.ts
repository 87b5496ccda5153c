import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { FapiaoRequest, FapiaoRequestStatus } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { localDate } from '../../lib/time.ts';
import { assertFapiaoDesk } from './access.ts';
import { ratesLabel } from './amounts.ts';
import * as repo from './repository.ts';
import type { FapiaoDeps } from './title.ts';
import { fixZipTimestamps } from '../../lib/zip-times.ts';

/** More rows than a lab has pending in any month; the export is one sheet, not a page. */
const MAX_ROWS = 10_000;

/** The columns the common tax software's import templates name, in their order. */
const EXPORT_COLUMNS = [
  '购买方名称',
  '纳税人识别号',
  '地址电话',
  '开户行及账号',
  '发票类型',
  '账单号',
  '金额(含税)',
  '税率',
  '税额',
  '不含税金额',
  '申请日期',
  '备注',
] as const;

const TYPE_ZH = { normal: '普通发票', special: '增值税专用发票' } as const;
/** The workbook's own dates when there is no row to take them from. */
const NO_ROWS_DATE = new Date('2000-01-01T00:00:00Z');

const yuan = (fen: number) => fen / 100;
const joined = (...parts: string[]) => parts.filter((p) => p !== '').join(' ');

function rowOf(r: FapiaoRequest, invoiceNumber: string): (string | number)[] {
  const t = r.title;
  const single = r.rates.length === 1 ? r.rates[0]!.rateBp / 10_000 : null;
  return [
    t.name,
    t.taxpayerNumber,
    joined(t.address, t.phone),
    joined(t.bankName, t.bankAccount),
    TYPE_ZH[r.type],
    invoiceNumber,
    yuan(r.amountFen),
    single ?? ratesLabel(r.rates),
    yuan(r.taxFen),
    yuan(r.amountFen - r.taxFen),
    localDate(r.requestedAt),
    r.note,
  ];
}

/**
 * The lab's requests (pending by default) as an XLSX for its tax software, one row per request,
 * oldest first. Money in yuan with two decimals (number format 0.00). The same requests give the
 * same bytes: the workbook's dates are the newest request's, the ZIP's entry times fixed.
 */
export async function exportRequests(
  deps: FapiaoDeps,
  actor: Actor | null,
  labId: string,
  status: FapiaoRequestStatus = 'pending',
) {
  assertFapiaoDesk(actor, labId);
  const rows = await repo.listRequests(deps.db, { labId, status, limit: MAX_ROWS, oldestFirst: true });
  const wb = new ExcelJS.Workbook();
  const stamp =
    rows.reduce<Date | null>((m, r) => (m === null || r.request.requestedAt > m ? r.request.requestedAt : m), null) ??
    NO_ROWS_DATE;
  wb.creator = 'QIHub';
  wb.lastModifiedBy = 'QIHub';
  wb.created = stamp;
  wb.modified = stamp;
  const ws = wb.addWorksheet('开票申请');
  ws.columns = EXPORT_COLUMNS.map((header, i) => ({
    header,
    width: [30, 22, 36, 36, 16, 16, 14, 8, 12, 14, 12, 30][i],
    style: [6, 8, 9].includes(i) ? { numFmt: '0.00' } : i === 7 ? { numFmt: '0%' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const { request, invoiceNumber } of rows) ws.addRow(rowOf(request, invoiceNumber));
  const bytes = fixZipTimestamps(Buffer.from(await wb.xlsx.writeBuffer()));
  return {
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    fileName: `fapiao-${status}-${localDate(stamp)}.xlsx`,
  };
}
