import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verificationUrl } from './pdf.ts';
import { formatReportNumber, newVerificationCode } from './numbering.ts';

describe('report numbers', () => {
  it('are "<prefix>-<year>-<6 digits>"', () => {
    expect(formatReportNumber('SZTI', 2026, 123)).toBe('SZTI-2026-000123');
    expect(formatReportNumber('QI3F2A', 2027, 1)).toBe('QI3F2A-2027-000001');
  });

  it('differ whenever prefix, year or sequence differ (no two issued reports share one)', () => {
    const key = fc.record({
      prefix: fc.stringMatching(/^[A-Z0-9]{2,12}$/),
      year: fc.integer({ min: 2000, max: 2999 }),
      seq: fc.integer({ min: 1, max: 999_999 }),
    });
    fc.assert(
      fc.property(key, key, (a, b) => {
        const same = a.prefix === b.prefix && a.year === b.year && a.seq === b.seq;
        const na = formatReportNumber(a.prefix, a.year, a.seq);
        const nb = formatReportNumber(b.prefix, b.year, b.seq);
        expect(na === nb).toBe(same);
      }),
    );
  });
});

describe('verification codes and URLs', () => {
  it('are URL-safe, at least 16 characters, and do not repeat', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newVerificationCode()));
    expect(codes.size).toBe(1000);
    for (const c of codes) expect(c).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it('point at the web verification page', () => {
    expect(verificationUrl('https://qihub.example.cn/', 'abc_DEF-123')).toBe(
      'https://qihub.example.cn/verify/abc_DEF-123',
    );
  });
});
