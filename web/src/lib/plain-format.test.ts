import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainDate, plainDayMonth, plainInstant, plainInteger, plainOffset, plainYuan } from './plain-format';

/**
 * The Intl-free formatting says exactly what Intl says (the functions it stands in for, with the
 * same options), for every input it accepts, and hands the rest back (null).
 */
const LANG = { 'zh-CN': 'zh-CN', en: 'en-GB' } as const;
const locales = fc.constantFrom('zh-CN' as const, 'en' as const);
const zones = fc.constantFrom('UTC', 'Asia/Shanghai');
/** 1992 to 2100, to the second. */
const instants = fc
  .integer({ min: Date.UTC(1992, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 })
  .map((s) => s * 1000);
const days = fc
  .integer({ min: Date.UTC(1000, 0, 1) / 86_400_000, max: Date.UTC(9999, 11, 31) / 86_400_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

function intlInstant(iso: string, timeZone: string, locale: 'zh-CN' | 'en', style: 'datetime' | 'time' | 'date') {
  const date: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', weekday: 'short' };
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return new Intl.DateTimeFormat(LANG[locale], {
    timeZone,
    ...(style !== 'time' ? date : {}),
    ...(style !== 'date' ? time : {}),
    ...(style === 'datetime' ? { year: 'numeric' } : {}),
  }).format(new Date(iso));
}

describe('plain formatting', () => {
  it('writes an instant as Intl does, in each style, language and zone', () => {
    fc.assert(
      fc.property(
        instants,
        zones,
        locales,
        fc.constantFrom('datetime' as const, 'time' as const, 'date' as const),
        (at, zone, locale, style) => {
          const iso = new Date(at).toISOString();
          expect(plainInstant(iso, zone, locale, style)).toBe(intlInstant(iso, zone, locale, style));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('knows the offset of UTC and of Shanghai since 1992, and no other zone on a server', () => {
    expect(plainOffset(Date.UTC(2026, 6, 1), 'Asia/Shanghai')).toBe(480);
    expect(plainOffset(Date.UTC(2026, 6, 1), 'UTC')).toBe(0);
    // Summer time in China until 1991: left to Intl.
    expect(plainOffset(Date.UTC(1991, 6, 1), 'Asia/Shanghai')).toBeNull();
    expect(plainOffset(Date.UTC(2026, 6, 1), 'Europe/Berlin')).toBeNull();
    expect(plainInstant('2026-07-01T10:00:00Z', 'Europe/Berlin', 'zh-CN', 'time')).toBeNull();
    expect(plainInstant('not a date', 'UTC', 'zh-CN', 'time')).toBeNull();
  });

  it('writes local dates as Intl does: medium, and month with day', () => {
    fc.assert(
      fc.property(days, locales, (day, locale) => {
        const at = new Date(`${day}T00:00:00Z`);
        const medium = new Intl.DateTimeFormat(LANG[locale], { dateStyle: 'medium', timeZone: 'UTC' }).format(at);
        const short = new Intl.DateTimeFormat(LANG[locale], { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
          at,
        );
        expect(plainDate(day, locale)).toBe(medium);
        expect(plainDayMonth(day, locale)).toBe(short);
      }),
      { numRuns: 2000 },
    );
    expect(plainDate('2026-02-30', 'zh-CN')).toBeNull();
    expect(plainDate('soon', 'en')).toBeNull();
  });

  it('writes whole numbers and yuan as Intl does, and leaves the rest to it', () => {
    const ints = fc.oneof(fc.integer(), fc.integer({ min: -1e15, max: 1e15 }), fc.integer({ min: -2000, max: 2000 }));
    fc.assert(
      fc.property(ints, locales, (n, locale) => {
        expect(plainInteger(n)).toBe(new Intl.NumberFormat(locale).format(n));
        const yuan = new Intl.NumberFormat(locale, {
          style: 'currency',
          currency: 'CNY',
          currencyDisplay: 'narrowSymbol',
        });
        expect(plainYuan(n, 'CNY')).toBe(yuan.format(n / 100));
      }),
      { numRuns: 3000 },
    );
    expect(plainInteger(1.5)).toBeNull();
    expect(plainInteger(-0)).toBeNull();
    expect(plainYuan(100, 'USD')).toBeNull();
    expect(plainYuan(-0, 'CNY')).toBeNull();
  });
});
