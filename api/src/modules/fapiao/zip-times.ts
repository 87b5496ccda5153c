/**
 * Sets every entry's DOS modification time in a ZIP (an XLSX is one) to 1980-01-01 00:00, in the
 * local headers and the central directory, so the same workbook gives the same bytes whenever it
 * is written — the zip library stamps entries with the current time and offers no way to say
 * otherwise. Returns the buffer changed in place.
 */
export function fixZipTimes(zip: Buffer): Buffer {
  const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
  // End of central directory: signature 0x06054b50, at least 22 bytes from the end (comment after it).
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP: no end of central directory');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('not a ZIP: broken central directory');
    zip.writeUInt16LE(0, at + 12);
    zip.writeUInt16LE(DOS_DATE_1980_01_01, at + 14);
    const local = zip.readUInt32LE(at + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('not a ZIP: broken local header');
    zip.writeUInt16LE(0, local + 10);
    zip.writeUInt16LE(DOS_DATE_1980_01_01, local + 12);
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return zip;
}
