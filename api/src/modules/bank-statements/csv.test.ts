import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csvRows, decodeStatement, parseDate, parseStatement } from './csv.ts';

describe('reading a bank statement export', () => {
  it('detects GBK when no charset is named and the bytes are not UTF-8', () => {
    const bytes = iconv.encode('交易日期,对方户名,收入金额,摘要\r\n', 'gbk');
    expect(decodeStatement(bytes, 'text/csv')).toEqual({ text: '交易日期,对方户名,收入金额,摘要\r\n', charset: 'GBK' });
    expect(decodeStatement(Buffer.from('\ufeff交易日期'), 'text/csv').text).toBe('交易日期');
  });

  it('reads quoted fields, doubled quotes, Excel’s ="…" guard and tab-separated files', () => {
    expect(csvRows('a,"b,1","c ""q"""\r\nx')).toEqual([['a', 'b,1', 'c "q"'], ['x']]);
    expect(csvRows('a\tb\n1\t2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads the three date forms and refuses what is no date', () => {
    expect(['2026-11-05', '20261105', '2026/11/05', '2026/11/5', '2026-11-05 10:31:02'].map(parseDate)).toEqual(
      Array(5).fill('2026-11-05'),
    );
    expect(['合计', '2026-02-30', '2026112', '', '20261305'].map(parseDate)).toEqual(Array(5).fill(null));
  });

  it('keys identical lines by their occurrence and lines with a 流水号 by it', () => {
    const text = [
      '交易日期,交易流水号,对方户名,收入金额,摘要',
      '="20261105",,甲公司,"1,234.50",货款',
      '20261105,,甲公司,"1,234.50",货款',
      '20261105,SN-9,甲公司,"1,234.50",货款',
      '合计,,,"3,703.50",',
    ].join('\n');
    const { lines } = parseStatement(Buffer.from(text), 'text/csv');
    expect(lines.map((l) => l.amountFen)).toEqual([123450, 123450, 123450]);
    expect(new Set(lines.map((l) => l.lineKey)).size).toBe(3);
    expect(lines[2]!.lineKey).toBe('sn:SN-9');
    const again = parseStatement(Buffer.from(text), 'text/csv; charset=utf-8');
    expect(again.lines.map((l) => l.lineKey)).toEqual(lines.map((l) => l.lineKey));
  });
});
