import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildWeekGrid, chosenCells, type FreeSlot, type WeekCell } from './week';
import { escapeHtml, weekBodyHtml, type WeekBodyText } from './week-html';
import { zonedInstant } from '$lib/time';

const ZONE = 'Asia/Shanghai';
const WEEK = '2026-11-30';
const HOUR = 3_600_000;

/** Every tag the body may hold; what is left once they are gone must be text without markup. */
const TAG = /<\/?(tr|th|td|a|span)(\s[a-z-]+="[^"<>]*")*>/g;

function text(word: string, yourTime = false): WeekBodyText {
  return {
    slotTitle: (label, units) => `${label} ${word} ${units}`,
    slotDetail: (date, units) => `${date} ${word} ${units}`,
    takenShort: word,
    waitJoin: word,
    takenDetail: (date) => `${date} ${word}`,
    soonDetail: (date, time) => `${date} ${time} ${word}`,
    closedDetail: (date, time) => `${date} ${time} ${word}`,
    chosenDetail: word,
    yourTime: yourTime ? (start) => `${start} ${word}` : null,
    yourTimeLabel: word,
  };
}

function gridWith(starts: number[], busyHours: number[]) {
  const slots: FreeSlot[] = starts.map((s) => {
    const at = zonedInstant(WEEK, 0, ZONE).getTime() + s * 30 * 60_000;
    return { start: new Date(at).toISOString(), end: new Date(at + HOUR).toISOString(), unitsFree: 1 + (s % 3) };
  });
  const busy = busyHours.map((h) => {
    const at = zonedInstant(WEEK, 0, ZONE).getTime() + h * HOUR;
    return { start: new Date(at).toISOString(), end: new Date(at + HOUR).toISOString() };
  });
  return buildWeekGrid({
    weekStart: WEEK,
    timeZone: ZONE,
    slots,
    durationMinutes: 60,
    stepMinutes: 30,
    busy,
    notBefore: new Date(zonedInstant(WEEK, 10 * 60, ZONE)),
    now: new Date(zonedInstant(WEEK, 9 * 60, ZONE)),
  });
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('escapeHtml', () => {
  it('leaves no character that could open a tag or close an attribute, and loses nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        const back = out
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&');
        expect(back).toBe(s);
      }),
    );
  });
});

describe('weekBodyHtml', () => {
  it('draws a row per time and a cell per day, a link per free start and a mark per taken one, whatever the words say', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 7 * 48 - 2 }), { maxLength: 60 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 7 * 24 - 1 }), { maxLength: 20 }),
        fc.string(),
        fc.boolean(),
        fc.boolean(),
        (starts, busyHours, word, withWait, yourTime) => {
          const grid = gridWith(starts, busyHours);
          const free = grid.cells.flat().filter((c) => c.kind === 'free' && c.start);
          const taken = grid.cells.flat().filter((c) => c.kind === 'taken' && c.start);
          const pick = free[0] ?? null;
          const chosen = pick ? chosenCells(grid, pick.start, pick.end) : new Set<string>();
          const html = weekBodyHtml({
            grid,
            chosen,
            selectedAt: pick ? Date.parse(pick.start!) : NaN,
            shownDay: grid.days[2]!.date,
            slotHref: (c: WeekCell) => `/i?start=${c.start}&x="<${word}>"#booking-choice`,
            waitHref: withWait ? (c: WeekCell) => `/i?wait=${c.start}&w=${word}` : null,
            text: text(word, yourTime),
          });
          expect(html.replace(TAG, '')).not.toMatch(/[<>]/);
          expect(count(html, '<tr')).toBe(grid.rows.length);
          expect(count(html, '<td ')).toBe(grid.rows.length * 7);
          expect(count(html, 'data-testid="slot"')).toBe(free.length);
          expect(count(html, 'data-testid="slot-taken"')).toBe(taken.length);
          expect(count(html, 'class="taken-link')).toBe(withWait ? taken.length : 0);
          expect(count(html, 'aria-current="true"')).toBe(pick ? 1 : 0);
          expect(count(html, 'data-chosen="true"')).toBe(chosen.size);
          expect(count(html, 'class="yours"')).toBe(yourTime ? free.length : 0);
          // The phone's day: six of seven columns are hidden on a narrow screen.
          expect(count(html, ' off')).toBe(grid.rows.length * 6);
          // Every free start is linked with its own instant.
          for (const c of free) expect(html).toContain(`data-start="${c.start}" data-end="${c.end}"`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('marks the chosen start, highlights its whole span and tells the kinds apart', () => {
    const grid = gridWith([0, 20, 22, 23, 48 + 30], [24 + 14]);
    const first = grid.cells.flat().find((c) => c.kind === 'free' && c.minute === 11 * 60)!;
    const html = weekBodyHtml({
      grid,
      chosen: chosenCells(grid, first.start, first.end),
      selectedAt: Date.parse(first.start!),
      shownDay: WEEK,
      slotHref: () => '/x',
      waitHref: null,
      text: text('W'),
    });
    expect(html).toContain(
      `<td class="cell free chosen" data-date="${WEEK}" data-kind="free" data-chosen="true"><a class="slot selected"`,
    );
    // The second half hour of the chosen hour says so to a screen reader.
    expect(html).toContain(
      `<td class="cell free chosen" data-date="${WEEK}" data-kind="free" data-chosen="true"><span class="visually-hidden">W</span><a class="slot"`,
    );
    expect(html).toContain('data-kind="soon"');
    expect(html).toContain('data-kind="closed"');
    expect(html).toContain('<span class="taken-mark" data-testid="slot-taken"');
    expect(html).toMatch(/<tr class="hour"><th scope="row" class="time-col">08:00<\/th>/);
  });
});
