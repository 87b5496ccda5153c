/** Technical assistance (质量技术帮扶): triggers, statuses and who may do what next. */
export const ASSISTANCE_TRIGGERS = ['spot_check_failure', 'customer_complaint', 'new_product', 'other'] as const;
export type AssistanceTrigger = (typeof ASSISTANCE_TRIGGERS)[number];

export const ASSISTANCE_STATUSES = ['open', 'assigned', 'in_progress', 'resolved', 'closed'] as const;
export type AssistanceStatusKey = (typeof ASSISTANCE_STATUSES)[number];

export function isTrigger(value: unknown): value is AssistanceTrigger {
  return typeof value === 'string' && (ASSISTANCE_TRIGGERS as readonly string[]).includes(value);
}

/** Requests still being worked on (the officer's desk and the list's "open" count). */
export function isOpenAssistance(status: string): boolean {
  return status !== 'closed';
}

/** What the next step is, given the status: the forms a page offers. */
export function assistanceSteps(status: string) {
  return {
    assign: status === 'open' || status === 'assigned',
    visit: status === 'assigned' || status === 'in_progress',
    resolve: status === 'in_progress',
    confirmClose: status === 'resolved',
    withdraw: status === 'open',
  };
}

export function statusTone(status: string): string {
  switch (status) {
    case 'open':
      return 'badge-warn';
    case 'resolved':
      return 'badge-cma';
    case 'closed':
      return 'badge-muted';
    default:
      return 'badge-cnas';
  }
}

export interface VisitInput {
  visitedOn: string;
  notesZh: string;
  problemsFound: number;
  problemsSolved: number;
}

/** The visit form, checked before it goes to the API: a real date, notes, counts with solved ≤ found. */
export function parseVisit(
  fields: Record<string, string>,
): { ok: true; value: VisitInput } | { ok: false; code: string } {
  const visitedOn = fields.visitedOn ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(visitedOn) || Number.isNaN(Date.parse(`${visitedOn}T00:00:00Z`)))
    return { ok: false, code: 'validation_failed' };
  const notesZh = (fields.notesZh ?? '').trim();
  if (notesZh.length < 2) return { ok: false, code: 'validation_failed' };
  const count = (s: string | undefined) => (/^\d{1,4}$/.test((s ?? '').trim()) ? Number(s) : null);
  const problemsFound = count(fields.problemsFound || '0');
  const problemsSolved = count(fields.problemsSolved || '0');
  if (problemsFound === null || problemsSolved === null) return { ok: false, code: 'validation_failed' };
  if (problemsSolved > problemsFound) return { ok: false, code: 'invalid_counts' };
  return { ok: true, value: { visitedOn, notesZh, problemsFound, problemsSolved } };
}
