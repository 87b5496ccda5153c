import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { unprocessable } from '../../lib/errors.ts';
import { parseYuan } from '../../lib/money.ts';

/**
 * Reading a bank statement export (对账单/交易明细) as Chinese banks write it: CSV in UTF-8 or GBK,
 * a preamble (account, period …) before the header row, totals (合计) after the lines, debits mixed
 * with credits. Only credits are customer payments; everything else is skipped and not counted.
 */

export interface StatementLine {
  /** 1-based position among the file's credit lines. */
  ord: number;
  /** 交易流水号 where the bank gives one, else a hash of the line and its occurrence in the file. */
  lineKey: string;
  txnDate: string;
  counterparty: string;
  counterpartyAccount: string;
  amountFen: number;
  remark: string;
}

export interface ParsedStatement {
  charset: 'UTF-8' | 'GBK';
  lines: StatementLine[];
}

const GBK_NAMES = new Set(['gbk', 'gb2312', 'gb18030', 'cp936', 'x-gbk', 'euc-cn']);

function unreadable(message: string) {
  return unprocessable('unreadable_statement', message);
}

/**
 * The text of the body: in the charset the content type names, or — without one — UTF-8 when the
 * bytes are valid UTF-8 and GBK otherwise (GB18030, its superset, decodes every GBK export).
 */
export function decodeStatement(body: Buffer, contentType: string): { text: string; charset: 'UTF-8' | 'GBK' } {
  const named = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1]?.toLowerCase();
  if (body.length === 0) throw unreadable('The statement is empty.');
  let text: string;
  let charset: 'UTF-8' | 'GBK';
  if (named && GBK_NAMES.has(named)) {
    text = iconv.decode(body, 'gb18030');
    charset = 'GBK';
  } else if (named && named !== 'utf-8' && named !== 'utf8') {
    throw unreadable(`The charset ${named} is not supported; send UTF-8 or GBK.`);
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
      charset = 'UTF-8';
    } catch {
      if (named) throw unreadable('The statement is not valid UTF-8.');
      text = iconv.decode(body, 'gb18030');
      charset = 'GBK';
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000') || text.includes('\ufffd')) throw unreadable('The statement is not a text file.');
  return { text, charset };
}

/** RFC 4180 rows (quoted fields, "" escapes, CRLF or LF); a tab-separated export is read the same way. */
export function csvRows(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (quoted) throw unreadable('A quoted field is not closed.');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A cell as the bank wrote it, without Excel's `="…"` guard, tabs and padding. */
function clean(cell: string | undefined): string {
  const v = (cell ?? '').trim();
  const guarded = /^="(.*)"$/s.exec(v);
  return (guarded ? guarded[1]! : v).trim();
}

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/** The header names each field goes by, in the order they are preferred. */
const COLUMNS = {
  date: ['交易日期', '记账日期'],
  counterparty: ['对方户名', '对方账户名称', '对方名称', '对方账户名'],
  account: ['对方账号', '对方账户'],
  credit: ['收入金额', '贷方发生额', '贷方金额'],
  signed: ['交易金额', '发生额'],
  flag: ['借贷标志', '借贷方向', '借贷'],
  serial: ['交易流水号', '流水号'],
} as const;
/** Every remark column present is read: the reference may be in 附言 while 摘要 says "汇入". */
const REMARKS = ['摘要', '附言', '用途', '备注'];

function find(header: string[], names: readonly string[]): number {
  for (const n of names) {
    const at = header.indexOf(n);
    if (at >= 0) return at;
  }
  return -1;
}

/** "2026-11-26", "20261126" or "2026/11/26" (a time after it is ignored); null when it is no date. */
export function parseDate(cell: string): string | null {
  const v = cell.normalize('NFKC').trim().split(/[\sT]/)[0] ?? '';
  const m = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(v) ?? /^(\d{4})()(\d{2})(\d{2})$/.exec(v);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[3]), Number(m[4])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  if (y < 2000 || y > 2100) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A signed amount in yuan ("1,234.50", "-300.00", "¥1,234.5"); NaN when it is none. */
function parseSigned(cell: string): number {
  let v = cell.normalize('NFKC').replace(/[¥￥\s]/g, '');
  if (v === '') return 0;
  let sign = 1;
  if (v.startsWith('-') || v.startsWith('+')) {
    sign = v.startsWith('-') ? -1 : 1;
    v = v.slice(1);
  } else if (/^\(.*\)$/.test(v)) {
    sign = -1;
    v = v.slice(1, -1);
  }
  try {
    return sign * parseYuan(v);
  } catch {
    return Number.NaN;
  }
}

function lineKeyOf(serial: string, l: Omit<StatementLine, 'ord' | 'lineKey'>, occurrence: number): string {
  if (serial !== '') return `sn:${serial}`;
  const digest = createHash('sha256')
    .update(JSON.stringify([l.txnDate, l.amountFen, l.counterparty, l.remark, occurrence]))
    .digest('base64url');
  return `h:${digest}`;
}

/**
 * The credit lines of a statement. The header is the first row naming 交易日期; rows before it, rows
 * after it without a date (合计, 本页小计 …) and debit rows are skipped. 422
 * `statement_columns_missing` without the date, counterparty, credit amount or remark columns;
 * 422 `unreadable_statement` for a line with a date and an amount that is not one.
 */
export function parseStatement(body: Buffer, contentType: string): ParsedStatement {
  const { text, charset } = decodeStatement(body, contentType);
  const rows = csvRows(text).map((r) => r.map(clean));
  const at = rows.findIndex((r) => r.some((c) => norm(c) === '交易日期'));
  const header = at >= 0 ? rows[at]!.map(norm) : [];
  const col = {
    date: find(header, COLUMNS.date),
    counterparty: find(header, COLUMNS.counterparty),
    account: find(header, COLUMNS.account),
    credit: find(header, COLUMNS.credit),
    signed: find(header, COLUMNS.signed),
    flag: find(header, COLUMNS.flag),
    serial: find(header, COLUMNS.serial),
  };
  const remarks = REMARKS.map((n) => header.indexOf(n)).filter((i) => i >= 0);
  const missing = [
    col.date < 0 ? '交易日期' : null,
    col.counterparty < 0 ? '对方户名' : null,
    col.credit < 0 && col.signed < 0 ? '收入金额' : null,
    remarks.length === 0 ? '摘要' : null,
  ].filter((x): x is string => x !== null);
  if (missing.length > 0) {
    throw unprocessable(
      'statement_columns_missing',
      `The header row (the first naming 交易日期) lacks: ${missing.join(', ')}.`,
      missing.map((m) => ({ path: `/columns/${m}`, code: 'required', message: `缺少列 ${m} (column missing)` })),
    );
  }
  const lines: StatementLine[] = [];
  const seen = new Map<string, number>();
  rows.slice(at + 1).forEach((r, i) => {
    const txnDate = parseDate(r[col.date] ?? '');
    if (!txnDate) return; // blank, 合计/总计 or a footnote
    let amount: number;
    if (col.credit >= 0) {
      amount = parseSigned(r[col.credit] ?? '');
    } else {
      amount = parseSigned(r[col.signed] ?? '');
      const flag = col.flag >= 0 ? norm(r[col.flag] ?? '').toUpperCase() : '';
      if (/借|^D|^DR$|支出|付/.test(flag)) return;
      if (flag !== '' && !/贷|^C|^CR$|收入|收/.test(flag)) {
        throw unreadable(`Row ${at + i + 2}: the debit/credit flag "${r[col.flag]}" is neither 借 nor 贷.`);
      }
    }
    if (Number.isNaN(amount) || !Number.isSafeInteger(amount)) {
      throw unreadable(`Row ${at + i + 2}: "${r[col.credit >= 0 ? col.credit : col.signed]}" is not an amount.`);
    }
    if (amount <= 0) return; // a debit, or nothing received
    const line = {
      txnDate,
      counterparty: (r[col.counterparty] ?? '').slice(0, 200),
      counterpartyAccount: col.account >= 0 ? (r[col.account] ?? '').slice(0, 64) : '',
      amountFen: amount,
      remark: remarks
        .map((c) => r[c] ?? '')
        .filter((x) => x !== '')
        .join(' ')
        .slice(0, 500),
    };
    const serial = col.serial >= 0 ? (r[col.serial] ?? '').slice(0, 100) : '';
    const identity = JSON.stringify([line.txnDate, line.amountFen, line.counterparty, line.remark]);
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    lines.push({ ord: lines.length + 1, lineKey: lineKeyOf(serial, line, occurrence), ...line });
  });
  return { charset, lines };
}
