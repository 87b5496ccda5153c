const u16 = (b: Buffer, at: number) => b.readUInt16LE(at);
const u32 = (b: Buffer, at: number) => b.readUInt32LE(at);

/**
 * Sets the modification time of every entry of a ZIP (an XLSX is one) to 00:00 on `date`
 * (YYYY-MM-DD; default 1980-01-01, the earliest DOS date), in the local headers and the central
 * directory, in a copy of the bytes — exceljs's zip library stamps entries with the current time,
 * so without this the same workbook gives different bytes. CRCs and sizes do not cover these fields.
 */
export function fixZipTimestamps(zip: Buffer, date = '1980-01-01'): Buffer {
  const out = Buffer.from(zip);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dosDate = ((y - 1980) << 9) | (m << 5) | d;
  let eocd = out.length - 22;
  while (eocd >= 0 && u32(out, eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a ZIP: no end of central directory');
  const entries = u16(out, eocd + 10);
  let p = u32(out, eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (u32(out, p) !== 0x02014b50) throw new Error('not a ZIP: bad central directory entry');
    out.writeUInt16LE(0, p + 12);
    out.writeUInt16LE(dosDate, p + 14);
    const local = u32(out, p + 42);
    if (u32(out, local) !== 0x04034b50) throw new Error('not a ZIP: bad local header');
    out.writeUInt16LE(0, local + 10);
    out.writeUInt16LE(dosDate, local + 12);
    p += 46 + u16(out, p + 28) + u16(out, p + 30) + u16(out, p + 32);
  }
  return out;
}
