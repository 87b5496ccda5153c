/**
 * GB/T 2260 codes are hierarchical: 32 (province) · 05 (city) · 06 (district). A region filter or a
 * platform scope matches every code that starts with the significant prefix of its own code.
 */
export function regionPrefix(code: string): string {
  if (!/^[0-9]{6}$/.test(code)) throw new RangeError(`not a GB/T 2260 code: ${code}`);
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export function regionContains(scope: string, code: string): boolean {
  return code.startsWith(regionPrefix(scope));
}

/** The city a code belongs to (320506 → 320500); municipalities keep their xx0100 city code. */
export function cityOf(code: string): string {
  return `${code.slice(0, 4)}00`;
}
