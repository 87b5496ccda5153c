import type { WeekCell, WeekGrid } from './week';

/**
 * The body of the week calendar as one string of markup. A week at a 30-minute step is some 800
 * elements; drawn as Svelte blocks, hydrating them (an effect and a walk per cell) held a phone's
 * main thread for most of a second. As markup the browser parses it once and hydration only
 * claims the rows. Every cell is a plain link or a mark, so nothing in it needs a listener: the
 * router handles the links as it does any other.
 */

/** The words a cell says, worked out by the component (the catalogue's messages). */
export interface WeekBodyText {
  /** `title` of a free cell: its time, the duration and the units free. */
  slotTitle: (rowLabel: string, unitsFree: number) => string;
  /** What a screen reader hears besides a free cell's time. */
  slotDetail: (date: string, unitsFree: number) => string;
  takenShort: string;
  waitJoin: string;
  takenDetail: (date: string) => string;
  soonDetail: (date: string, time: string) => string;
  closedDetail: (date: string, time: string) => string;
  /** Said on the rows of the chosen booking after its first. */
  chosenDetail: string;
  /** The start in the visitor's own zone, when that differs from the site's; null: not shown. */
  yourTime: ((start: string) => string) | null;
  yourTimeLabel: string;
}

export interface WeekBodyInput {
  grid: WeekGrid;
  /** `date|minute` of every cell the chosen booking covers. */
  chosen: Set<string>;
  /** The chosen start (ms), NaN when none. */
  selectedAt: number;
  /** The day a phone shows; the other columns get `off`. */
  shownDay: string;
  slotHref: (cell: WeekCell) => string;
  waitHref: ((cell: WeekCell) => string) | null;
  text: WeekBodyText;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value made safe to put between tags or quotes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const hidden = (text: string) => `<span class="visually-hidden">${escapeHtml(text)}</span>`;

/** `isSelected`: the cell is the chosen start. */
function cellContent(cell: WeekCell, rowLabel: string, isSelected: boolean, input: WeekBodyInput): string {
  const { text } = input;
  const label = escapeHtml(rowLabel);
  if (cell.kind === 'free' && cell.start) {
    const yours = text.yourTime
      ? `<span class="yours">${hidden(`${text.yourTimeLabel} `)}${escapeHtml(text.yourTime(cell.start))}</span>`
      : '';
    return (
      `<a class="slot${isSelected ? ' selected' : ''}" href="${escapeHtml(input.slotHref(cell))}" data-testid="slot"` +
      ` data-start="${escapeHtml(cell.start)}" data-end="${escapeHtml(cell.end ?? '')}"` +
      `${isSelected ? ' aria-current="true"' : ''} title="${escapeHtml(text.slotTitle(rowLabel, cell.unitsFree))}">` +
      `<span class="t">${label}</span>${yours}${hidden(text.slotDetail(cell.date, cell.unitsFree))}</a>`
    );
  }
  if (cell.kind === 'taken' && cell.start) {
    // Taken time is told by a word, a hatching and a struck-through time, not by colour alone.
    const word = `<span class="t">${label}</span><span class="state" data-testid="slot-taken-word">${escapeHtml(text.takenShort)}</span>`;
    if (input.waitHref) {
      return (
        `<a class="taken-link${isSelected ? ' selected' : ''}" href="${escapeHtml(input.waitHref(cell))}"` +
        ` data-testid="slot-taken" data-start="${escapeHtml(cell.start)}" title="${escapeHtml(text.waitJoin)}">` +
        `${word}<span class="wait">${escapeHtml(text.waitJoin)}</span>${hidden(text.takenDetail(cell.date))}</a>`
      );
    }
    return `<span class="taken-mark" data-testid="slot-taken" data-start="${escapeHtml(cell.start)}">${word}</span>`;
  }
  // Told apart by pattern on screen and by words for a screen reader, not by grey alone.
  if (cell.kind === 'soon') return hidden(text.soonDetail(cell.date, rowLabel));
  if (cell.kind === 'closed') return hidden(text.closedDetail(cell.date, rowLabel));
  return '';
}

/** The rows of the calendar (`<tr>`s for its `<tbody>`), a header cell with the time and a cell per day. */
export function weekBodyHtml(input: WeekBodyInput): string {
  const { grid, chosen, selectedAt, shownDay, text } = input;
  const weekend = new Set(grid.days.filter((d) => d.weekday > 5).map((d) => d.date));
  let out = '';
  grid.rows.forEach((row, r) => {
    out += `<tr${row.minute % 60 === 0 ? ' class="hour"' : ''}><th scope="row" class="time-col">${escapeHtml(row.label)}</th>`;
    for (const cell of grid.cells[r]!) {
      const inChosen = chosen.has(`${cell.date}|${cell.minute}`);
      const classes = ['cell', cell.kind];
      if (weekend.has(cell.date)) classes.push('weekend');
      if (cell.date !== shownDay) classes.push('off');
      if (inChosen) classes.push('chosen');
      const isSelected = cell.start !== null && Date.parse(cell.start) === selectedAt;
      out +=
        `<td class="${classes.join(' ')}" data-date="${escapeHtml(cell.date)}" data-kind="${cell.kind}"` +
        `${inChosen ? ' data-chosen="true"' : ''}>` +
        `${inChosen && !isSelected ? hidden(text.chosenDetail) : ''}${cellContent(cell, row.label, isSelected, input)}</td>`;
    }
    out += '</tr>';
  });
  return out;
}
