/**
 * Dates, times, numbers and yuan written without Intl, for the cases every page shows: Chinese and
 * English, the zones UTC and Asia/Shanghai (and, in a browser, the browser's own zone), amounts in
 * CNY. Anything else answers null, and the caller asks Intl.
 *
 * Why: a page's first Intl.DateTimeFormat or Intl.NumberFormat loads the locale's ICU data, which
 * costs a phone well over a hundred milliseconds of main thread while the page hydrates; Date's own
 * methods and string work cost nothing. Each function writes exactly what Intl writes (Node's ICU;
 * `plain-format.test.ts` compares them over many inputs), so the server and the browser agree.
 */

const MINUTE = 60_000;
/** China has kept +08:00 all year since the summer time of 1986–1991 ended. */
const SHANGHAI_FIXED_FROM = Date.UTC(1992, 0, 1);
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const EN_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const ZH_WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** The browser's own zone, when the engine can say it without Intl (Temporal); null on a server. */
function localZone(): string | null {
  if (typeof window === 'undefined') return null;
  const temporal = (globalThis as { Temporal?: { Now?: { timeZoneId?: () => string } } }).Temporal;
  try {
    return temporal?.Now?.timeZoneId?.() ?? null;
  } catch {
    return null;
  }
}
let browserZone: string | null | undefined;

/** The browser's zone without Intl, or undefined when only Intl can tell. */
export function plainBrowserZone(): string | undefined {
  if (browserZone === undefined) browserZone = localZone();
  return browserZone ?? undefined;
}

/** A zone's offset from UTC in minutes at an instant, when known without Intl; else null. */
export function plainOffset(epochMs: number, timeZone: string): number | null {
  if (!Number.isFinite(epochMs)) return null;
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  if (timeZone === 'Asia/Shanghai') return epochMs >= SHANGHAI_FIXED_FROM ? 480 : null;
  if (timeZone === plainBrowserZone()) return -new Date(epochMs).getTimezoneOffset();
  return null;
}

/** Year, month, day, weekday (0 = Sunday), hour, minute, second of an instant's wall clock in a zone. */
export interface PlainWall {
  y: number;
  mo: number;
  d: number;
  wd: number;
  h: number;
  mi: number;
  s: number;
}

export function plainWall(epochMs: number, timeZone: string): PlainWall | null {
  const offset = plainOffset(epochMs, timeZone);
  if (offset === null) return null;
  const w = new Date(epochMs + offset * MINUTE);
  const y = w.getUTCFullYear();
  if (y < 1000 || y > 9999) return null;
  return {
    y,
    mo: w.getUTCMonth() + 1,
    d: w.getUTCDate(),
    wd: w.getUTCDay(),
    h: w.getUTCHours(),
    mi: w.getUTCMinutes(),
    s: w.getUTCSeconds(),
  };
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * An instant as formatInstant (lib/time.ts) writes it without a zone name: "2026年12月7日周一 13:04",
 * "Mon, 7 Dec 2026, 13:04"; "12月7日周一", "Mon 7 Dec"; "13:04".
 */
export function plainInstant(
  iso: string,
  timeZone: string,
  locale: string,
  style: 'datetime' | 'time' | 'date',
): string | null {
  const w = plainWall(Date.parse(iso), timeZone);
  if (!w) return null;
  const time = `${two(w.h)}:${two(w.mi)}`;
  if (style === 'time') return time;
  if (locale === 'en') {
    const day = `${EN_WEEKDAYS[w.wd]} ${w.d} ${EN_MONTHS[w.mo - 1]}`;
    return style === 'date' ? day : `${EN_WEEKDAYS[w.wd]}, ${w.d} ${EN_MONTHS[w.mo - 1]} ${w.y}, ${time}`;
  }
  const day = `${w.mo}月${w.d}日${ZH_WEEKDAYS[w.wd]}`;
  return style === 'date' ? day : `${w.y}年${day} ${time}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

function dateParts(isoDate: string): { y: number; mo: number; d: number } | null {
  const m = DATE.exec(isoDate);
  if (!m) return null;
  const y = Number(m[1]);
  const at = new Date(Date.UTC(y, Number(m[2]) - 1, Number(m[3])));
  // Out of range (2026-02-30) is left to Intl, which reads it as Date does.
  if (y < 1000 || at.getUTCMonth() !== Number(m[2]) - 1 || at.getUTCDate() !== Number(m[3])) return null;
  return { y, mo: Number(m[2]), d: Number(m[3]) };
}

/** A local date, dateStyle medium: "2027年5月1日" / "1 May 2027". */
export function plainDate(isoDate: string, locale: string): string | null {
  const p = dateParts(isoDate);
  if (!p) return null;
  return locale === 'en' ? `${p.d} ${EN_MONTHS[p.mo - 1]} ${p.y}` : `${p.y}年${p.mo}月${p.d}日`;
}

/** A local date, month short and day: "5月1日" / "1 May". */
export function plainDayMonth(isoDate: string, locale: string): string | null {
  const p = dateParts(isoDate);
  if (!p) return null;
  return locale === 'en' ? `${p.d} ${EN_MONTHS[p.mo - 1]}` : `${p.mo}月${p.d}日`;
}

/** "1234567" → "1,234,567" (both languages group by thousands with a comma). */
function grouped(digits: string): string {
  let out = '';
  for (let i = digits.length; i > 0; i -= 3) out = digits.slice(Math.max(0, i - 3), i) + (out ? `,${out}` : '');
  return out;
}

/** A whole number as Intl.NumberFormat writes it in both languages: "-1,234,567". */
export function plainInteger(n: number): string | null {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return null;
  return n < 0 ? `-${grouped(String(-n))}` : grouped(String(n));
}

/** Integer fen of CNY as a narrow-symbol currency: "¥1,234.00", "-¥0.05". */
export function plainYuan(fen: number, currency: string): string | null {
  if (currency !== 'CNY' || !Number.isSafeInteger(fen) || Object.is(fen, -0)) return null;
  const abs = Math.abs(fen);
  const text = `¥${grouped(String(Math.floor(abs / 100)))}.${two(abs % 100)}`;
  return fen < 0 ? `-${text}` : text;
}
