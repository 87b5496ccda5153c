import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixZipTimestamps as fixZipTimes } from './zip-times.ts';

async function workbookAt(iso: string): Promise<Buffer> {
  vi.useFakeTimers({ now: new Date(iso), toFake: ['Date'] });
  const wb = new ExcelJS.Workbook();
  wb.created = new Date('2026-11-26T02:00:00Z');
  wb.modified = wb.created;
  wb.addWorksheet('开票申请').addRow(['购买方名称', 720]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

afterEach(() => {
  vi.useRealTimers();
});

describe('fixZipTimes', () => {
  it('makes a workbook written at two different times the same bytes, still a readable workbook', async () => {
    const a = await workbookAt('2026-11-26T02:00:00Z');
    const b = await workbookAt('2027-03-01T09:30:12Z');
    expect(a.equals(b)).toBe(false);
    const fixedA = fixZipTimes(a);
    expect(fixedA.equals(fixZipTimes(b))).toBe(true);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(fixedA as unknown as ArrayBuffer);
    expect(back.worksheets[0]!.getRow(1).values).toEqual([undefined, '购买方名称', 720]);
  });

  it('refuses what is not a ZIP', () => {
    expect(() => fixZipTimes(Buffer.from('not a zip at all, just some text to fill 22 bytes'))).toThrow(/not a ZIP/);
  });
});
