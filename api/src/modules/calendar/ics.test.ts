import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine, formatUtc, type IcsEvent } from './ics.ts';

/** RFC 5545 §3.1 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

/** The inverse of escapeText, for round trips. */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Text with ASCII, CJK, emoji (4-octet UTF-8) and the characters TEXT must escape. */
const awkwardText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.constantFrom('仪器', '苏州', '扫描电镜', '；', '，', ',', ';', '\\', '\n', '😀', 'é', ' ', 'ab'),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('escapeText', () => {
  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeText('场发射扫描电镜，苏州')).toBe('场发射扫描电镜，苏州'); // a full-width comma is just text
  });

  it('property: unescaping gives the text back (line breaks normalised to \\n, other controls dropped)', () => {
    fc.assert(
      fc.property(awkwardText, (text) => {
        const escaped = escapeText(text);
        expect(escaped).not.toMatch(/[\r\n]/);
        const expected = text.replace(/\r\n|\r/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ''); // eslint-disable-line no-control-regex
        expect(unescapeText(escaped)).toBe(expected);
      }),
    );
  });
});

describe('foldLine', () => {
  it('leaves a short line alone and folds a long one at 75 octets', () => {
    expect(foldLine('SUMMARY:short')).toBe('SUMMARY:short');
    const folded = foldLine('X:' + 'a'.repeat(200));
    const lines = folded.split('\r\n');
    expect(lines[0]).toHaveLength(75);
    expect(lines.slice(1).every((l) => l.startsWith(' ') && bytes(l) <= 75)).toBe(true);
    expect(unfold(folded)).toBe('X:' + 'a'.repeat(200));
  });

  it('never splits a multi-byte character (Chinese: 3 octets each)', () => {
    const line = 'SUMMARY:' + '场发射扫描电子显微镜'.repeat(10);
    const physical = foldLine(line).split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const p of physical) {
      expect(bytes(p)).toBeLessThanOrEqual(75);
      expect(p).not.toContain('\uFFFD');
      expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
    }
    expect(unfold(physical.join('\r\n'))).toBe(line);
  });

  it('property: every physical line fits in 75 octets, continuation lines start with a space, unfolding restores the line', () => {
    fc.assert(
      fc.property(awkwardText, (text) => {
        const line = 'DESCRIPTION:' + escapeText(text);
        const folded = foldLine(line);
        const physical = folded.split('\r\n');
        physical.forEach((p, i) => {
          expect(bytes(p)).toBeLessThanOrEqual(75);
          if (i > 0) expect(p.startsWith(' ')).toBe(true);
          // A lone surrogate would mean a character was cut in two.
          expect(p).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        });
        expect(unfold(folded)).toBe(line);
        expect(unescapeText(unfold(folded).slice('DESCRIPTION:'.length))).toBe(
          text.replace(/\r\n|\r/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ''), // eslint-disable-line no-control-regex
        );
      }),
    );
  });
});

describe('buildCalendar', () => {
  const event: IcsEvent = {
    uid: '4b0f6a54-0e44-4f3c-9c56-2f1f5c3b9a10@qihub',
    stamp: new Date('2026-11-26T02:00:00Z'),
    start: new Date('2026-11-30T02:00:00Z'),
    end: new Date('2026-11-30T04:00:00Z'),
    summary: '场发射扫描电子显微镜（苏州）',
    location: '苏州工业园区星湖街 218 号, A1 栋; 3 楼',
    description: '状态：已确认\n链接：https://qihub.example/bookings/4b0f',
    status: 'CONFIRMED',
    sequence: 2,
    url: 'https://qihub.example/bookings/4b0f',
  };

  it('writes one VCALENDAR with CRLF line endings and the event fields', () => {
    const text = buildCalendar({ name: '我的预约 QIHub', events: [event] });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // no bare CR or LF anywhere
    const lines = unfold(text).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain('X-WR-CALNAME:我的预约 QIHub');
    expect(lines).toContain('DTSTART:20261130T020000Z');
    expect(lines).toContain('DTEND:20261130T040000Z');
    expect(lines).toContain('DTSTAMP:20261126T020000Z');
    expect(lines).toContain('LOCATION:苏州工业园区星湖街 218 号\\, A1 栋\\; 3 楼');
    expect(lines).toContain('DESCRIPTION:状态：已确认\\n链接：https://qihub.example/bookings/4b0f');
    expect(lines).toContain('STATUS:CONFIRMED');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
  });

  it('formats instants in UTC', () => {
    expect(formatUtc(new Date('2026-03-29T01:30:05.123Z'))).toBe('20260329T013005Z');
  });
});
