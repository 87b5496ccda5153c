import type { CustodyStep, OrderStatus } from '@qihub/db';

/**
 * Sample custody (样品流转) as data. A sample's state follows from its log alone:
 *
 *   expected ─received→ received ─stored→ stored ─taken→ in_testing ─back→ stored
 *   received | stored ─returned→ returned   received | stored ─disposed→ disposed
 *
 * A sample out for testing must come back to storage before it leaves the lab; returned and
 * disposed are final. A rejected sample never enters the lab's custody. The orders module's
 * cancellation ends the custody of every sample on the shelf (the order is void); one out for
 * testing stays in custody until it is back, and is then due to leave like any leftover.
 */
export type CustodyState = 'expected' | 'rejected' | 'received' | 'stored' | 'in_testing' | 'returned' | 'disposed';

export const CUSTODY_STEPS: readonly CustodyStep[] = ['received', 'stored', 'taken', 'back', 'returned', 'disposed'];

/** The states each step may start from. */
export const CUSTODY_FROM: Record<CustodyStep, readonly CustodyState[]> = {
  received: ['expected'],
  // Shelving after receipt, or moving to another place.
  stored: ['received', 'stored'],
  taken: ['received', 'stored'],
  back: ['in_testing'],
  returned: ['received', 'stored'],
  disposed: ['received', 'stored'],
};

export const STATE_AFTER: Record<CustodyStep, CustodyState> = {
  received: 'received',
  stored: 'stored',
  taken: 'in_testing',
  back: 'stored',
  returned: 'returned',
  disposed: 'disposed',
};

/** States in which the lab holds the sample. */
export const IN_HAND: readonly CustodyState[] = ['received', 'stored', 'in_testing'];

/** What one entry says, as the fold reads it. */
export interface CustodyFact {
  step: CustodyStep;
  location: string | null;
  takenBy: string | null;
}

export interface CustodyView {
  state: CustodyState;
  /** The last place it was kept (received, stored, back). */
  location: string | null;
  /** Who has it while it is out for testing. */
  holder: string | null;
}

/** The sample's state after its log; `start` is the state before any entry (expected, or rejected). */
export function foldCustody(start: 'expected' | 'rejected', log: readonly CustodyFact[]): CustodyView {
  let view: CustodyView = { state: start, location: null, holder: null };
  for (const fact of log) view = applyCustody(view, fact);
  return view;
}

/** One entry applied, unchecked (the log is the truth; `custodyRefusal` guards what goes in). */
export function applyCustody(view: CustodyView, fact: CustodyFact): CustodyView {
  const state = STATE_AFTER[fact.step];
  return {
    state,
    location: fact.location && fact.location !== '' ? fact.location : view.location,
    holder: state === 'in_testing' ? fact.takenBy : null,
  };
}

/** Why the step may not be taken from this state, or null when it may. */
export function custodyRefusal(view: CustodyView, step: CustodyStep): string | null {
  if (CUSTODY_FROM[step].includes(view.state)) return null;
  switch (view.state) {
    case 'returned':
    case 'disposed':
      return `The sample was already ${view.state}.`;
    case 'in_testing':
      return 'The sample is out for testing; record it back in storage first.';
    case 'expected':
      return 'The sample has not been received.';
    case 'rejected':
      return 'The sample was rejected at receipt and is not in the lab\u2019s custody.';
    default:
      return `A sample that is ${view.state} cannot be ${step}.`;
  }
}

/** Order statuses in which a sample may be taken for testing. */
export const TESTING_STATES: readonly OrderStatus[] = ['samples_received', 'in_progress', 'report_review'];

/**
 * Whether the leftovers of an order are due to leave the lab (returned or disposed of as the
 * commission form says): the order was cancelled or closed, or its report is out and the
 * objection window (异议期) has passed with no objection open. Until then the lab keeps them, in
 * case the customer objects and the samples are re-tested.
 */
export function leftoversDue(
  order: { status: OrderStatus; objectionUntil: Date | null },
  openObjection: boolean,
  now: Date,
): boolean {
  if (order.status === 'closed' || order.status === 'cancelled') return true;
  return (
    order.status === 'report_issued' &&
    !openObjection &&
    order.objectionUntil !== null &&
    order.objectionUntil.getTime() <= now.getTime()
  );
}
