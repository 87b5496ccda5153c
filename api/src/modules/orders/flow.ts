import type { OrderStatus } from '@qihub/db';
import type { OrderAccess } from './access.ts';

/**
 * The order flow as data: which action may move an order from which status, by whom. The routes
 * take their allowed "from" states and roles from here (the guarded UPDATE in `transitionOrder`
 * re-checks the state inside the transaction), and the property test drives random actions by
 * random roles through `step` to show the flow never reaches a state it does not allow.
 *
 * requested → quoted → accepted → awaiting_samples → samples_received → in_progress → report_review
 * → report_issued → closed. Orders without samples: accepted → in_progress, and in_progress →
 * report_issued by "deliver". Side exits: cancelled, expired (the quote lapsed).
 */

/** Who acts, as the flow sees it. */
export type FlowRole =
  'customer' | 'lab_manager' | 'lab_staff' | 'lab_operator' | 'officer' | 'platform' | 'stranger' | 'system';

export const FLOW_ROLES: readonly FlowRole[] = [
  'customer',
  'lab_manager',
  'lab_staff',
  'lab_operator',
  'officer',
  'platform',
  'stranger',
  'system',
];

export type FlowAction =
  | 'quote'
  | 'accept'
  | 'decline'
  | 'receive_sample'
  | 'reject_sample'
  | 'start'
  | 'schedule'
  | 'deliver'
  | 'submit_report'
  | 'issue_report'
  | 'cancel'
  | 'object'
  | 'resolve_upheld'
  | 'resolve_dismissed'
  | 'close'
  | 'expire'
  | 'close_window';

export const FLOW_ACTIONS: readonly FlowAction[] = [
  'quote',
  'accept',
  'decline',
  'receive_sample',
  'reject_sample',
  'start',
  'schedule',
  'deliver',
  'submit_report',
  'issue_report',
  'cancel',
  'object',
  'resolve_upheld',
  'resolve_dismissed',
  'close',
  'expire',
  'close_window',
];

const LAB_RUNNERS: readonly FlowRole[] = ['lab_manager', 'lab_staff'];

/**
 * Statuses in which the customer may still cancel without a fee (in awaiting_samples only while no
 * sample has been received: cancelOrder checks that).
 */
export const CUSTOMER_FREE_CANCEL: readonly OrderStatus[] = ['requested', 'quoted', 'accepted', 'awaiting_samples'];
/** Once samples are in, the customer may still cancel before work starts, for a fee. */
export const CUSTOMER_FEE_CANCEL: readonly OrderStatus[] = ['samples_received'];
/** The lab (its manager) may cancel any time before the report is issued. */
export const LAB_CANCEL: readonly OrderStatus[] = [
  'requested',
  'quoted',
  'accepted',
  'awaiting_samples',
  'samples_received',
  'in_progress',
  'report_review',
];
/**
 * Fee for a customer cancelling after the samples were received and before work started: 20 % of
 * the order's line subtotal (the lab has registered, stored and prepared the samples by then).
 */
export const CUSTOMER_LATE_CANCEL_FEE_PCT = 20;

export interface FlowRule {
  /** Roles that may take the action. */
  who: readonly FlowRole[];
  /** Statuses the action may start from (per role where they differ). */
  from: readonly OrderStatus[];
}

export const FLOW: Record<FlowAction, FlowRule> = {
  quote: { who: LAB_RUNNERS, from: ['requested', 'quoted'] },
  accept: { who: ['customer'], from: ['quoted'] },
  decline: { who: ['customer'], from: ['quoted'] },
  receive_sample: { who: LAB_RUNNERS, from: ['awaiting_samples'] },
  reject_sample: { who: LAB_RUNNERS, from: ['awaiting_samples'] },
  start: { who: LAB_RUNNERS, from: ['samples_received'] },
  schedule: { who: LAB_RUNNERS, from: ['samples_received', 'in_progress'] },
  deliver: { who: LAB_RUNNERS, from: ['in_progress'] },
  submit_report: { who: LAB_RUNNERS, from: ['in_progress'] },
  issue_report: { who: LAB_RUNNERS, from: ['report_review'] },
  cancel: { who: ['customer', 'lab_manager'], from: LAB_CANCEL },
  object: { who: ['customer'], from: ['report_issued'] },
  resolve_upheld: { who: ['lab_manager'], from: ['report_issued'] },
  resolve_dismissed: { who: ['lab_manager'], from: ['report_issued'] },
  close: { who: ['customer'], from: ['report_issued'] },
  expire: { who: ['system'], from: ['quoted'] },
  close_window: { who: ['system'], from: ['report_issued'] },
};

/** The statuses `action` may start from for this role (cancel differs between customer and lab). */
export function fromStates(action: FlowAction, role: FlowRole): readonly OrderStatus[] {
  if (action === 'cancel' && role === 'customer') return [...CUSTOMER_FREE_CANCEL, ...CUSTOMER_FEE_CANCEL];
  return FLOW[action].from;
}

export function mayAct(action: FlowAction, role: FlowRole): boolean {
  return FLOW[action].who.includes(role);
}

/** The flow role of a caller with access to an order. */
export function roleOf(access: Pick<OrderAccess, 'side' | 'role'>): FlowRole {
  switch (access.side) {
    case 'customer':
      return 'customer';
    case 'lab':
      return access.role === 'manager' ? 'lab_manager' : access.role === 'staff' ? 'lab_staff' : 'lab_operator';
    case 'officer':
      return 'officer';
    case 'platform':
      return 'platform';
  }
}

/** Every status change the flow allows (from → to); anything else is a bug. */
export const ALLOWED_EDGES: ReadonlySet<string> = new Set(
  [
    ['requested', 'quoted'],
    ['quoted', 'quoted'],
    ['quoted', 'accepted'],
    ['accepted', 'awaiting_samples'],
    ['accepted', 'in_progress'],
    ['awaiting_samples', 'samples_received'],
    ['samples_received', 'in_progress'],
    ['in_progress', 'report_review'],
    ['in_progress', 'report_issued'],
    ['report_review', 'report_issued'],
    ['report_issued', 'in_progress'],
    ['report_issued', 'closed'],
    // A revoked report takes its lines back to work (the order follows its least advanced line).
    ['report_issued', 'report_review'],
    ['closed', 'in_progress'],
    ['closed', 'report_review'],
    ['quoted', 'expired'],
    ...LAB_CANCEL.map((s) => [s, 'cancelled']),
  ].map(([a, b]) => `${a}>${b}`),
);

/** The pure model of one order the property test drives (and the routes mirror). */
export interface OrderModel {
  status: OrderStatus;
  needsSamples: boolean;
  lines: { id: number; removed: boolean }[];
  samples: { id: number; status: 'expected' | 'received' | 'rejected' | 'returned' | 'disposed' }[];
  openObjections: number;
  objectionWindowOpen: boolean;
  /** The commission form's choice for samples left over: returned (the default) or disposed of by the lab. */
  leftoverSamples?: 'return' | 'dispose';
}

export type StepResult =
  | { ok: true; model: OrderModel; statuses: OrderStatus[] }
  | { ok: false; code: 'forbidden' | 'illegal_transition' | 'not_found' | 'objection_window_closed' };

/** Parameters of an action in the model: which line/sample, how many lines a quote adds. */
export interface StepInput {
  action: FlowAction;
  role: FlowRole;
  /** quote: lines to add (by the lab), and indices of lines to withdraw. */
  addLines?: number;
  removeLine?: number;
  /** accept: how many samples the commission form names (≥ 1). */
  sampleCount?: number;
  /** receive/reject: which sample (index). */
  sample?: number;
}

/**
 * Applies one action to the model with the same rules as the API: strangers get not_found,
 * wrong roles forbidden, wrong states illegal_transition. Returns the statuses passed through.
 */
export function step(model: OrderModel, input: StepInput): StepResult {
  const { action, role } = input;
  if (role === 'stranger') return { ok: false, code: 'not_found' };
  if (!mayAct(action, role)) return { ok: false, code: 'forbidden' };
  // Checked before the state, as the API does: a closed window, an objection that is not open.
  if (
    action === 'object' &&
    (model.status === 'closed' || (model.status === 'report_issued' && !model.objectionWindowOpen))
  ) {
    return { ok: false, code: 'objection_window_closed' };
  }
  if ((action === 'resolve_upheld' || action === 'resolve_dismissed') && model.openObjections === 0) {
    return { ok: false, code: 'not_found' };
  }
  const from = fromStates(action, role);
  if (!from.includes(model.status)) return { ok: false, code: 'illegal_transition' };
  const m: OrderModel = {
    ...model,
    lines: model.lines.map((l) => ({ ...l })),
    samples: model.samples.map((s) => ({ ...s })),
  };
  const go = (...statuses: OrderStatus[]): StepResult => {
    m.status = statuses[statuses.length - 1] ?? m.status;
    return { ok: true, model: m, statuses };
  };
  switch (action) {
    case 'quote': {
      // Withdraw one of the existing lines (never the last one), then add the lab's new lines.
      const live = m.lines.filter((l) => !l.removed);
      const target = input.removeLine === undefined ? undefined : live[input.removeLine % Math.max(live.length, 1)];
      if (target && live.length > 1) target.removed = true;
      const next = m.lines.reduce((max, l) => Math.max(max, l.id), 0) + 1;
      for (let i = 0; i < (input.addLines ?? 0); i++) m.lines.push({ id: next + i, removed: false });
      return go('quoted');
    }
    case 'accept': {
      if (m.needsSamples) {
        const n = Math.max(1, input.sampleCount ?? 1);
        for (let i = 0; i < n; i++) m.samples.push({ id: m.samples.length + 1, status: 'expected' });
        return go('accepted', 'awaiting_samples');
      }
      return go('accepted', 'in_progress');
    }
    case 'decline':
      return go('cancelled');
    case 'receive_sample':
    case 'reject_sample': {
      const expected = m.samples.filter((s) => s.status === 'expected');
      const target = expected[(input.sample ?? 0) % Math.max(expected.length, 1)];
      if (!target) return { ok: false, code: 'illegal_transition' };
      target.status = action === 'receive_sample' ? 'received' : 'rejected';
      const done = m.samples.every((s) => s.status !== 'expected');
      const anyReceived = m.samples.some((s) => s.status === 'received');
      return done && anyReceived ? go('samples_received') : go();
    }
    case 'start':
      return go('in_progress');
    case 'schedule':
      return go();
    case 'deliver':
      if (m.needsSamples) return { ok: false, code: 'illegal_transition' };
      m.objectionWindowOpen = true;
      return go('report_issued');
    case 'submit_report':
      return go('report_review');
    case 'issue_report':
      m.objectionWindowOpen = true;
      return go('report_issued');
    case 'cancel':
      // Samples in the lab's hands go back, or are disposed of, as the commission form says.
      for (const sample of m.samples) {
        if (sample.status === 'received') sample.status = m.leftoverSamples === 'dispose' ? 'disposed' : 'returned';
      }
      return go('cancelled');
    case 'object':
      if (m.openObjections > 0) return { ok: false, code: 'illegal_transition' };
      m.openObjections += 1;
      return go();
    case 'resolve_upheld':
    case 'resolve_dismissed':
      m.openObjections -= 1;
      return action === 'resolve_upheld' ? go('in_progress') : go();
    case 'close':
      if (m.openObjections > 0) return { ok: false, code: 'illegal_transition' };
      return go('closed');
    case 'expire':
      return go('expired');
    case 'close_window':
      if (m.openObjections > 0) return { ok: false, code: 'illegal_transition' };
      m.objectionWindowOpen = false;
      return go('closed');
  }
}

/** Kinds of service whose lines need something physical from the customer (samples or instruments). */
export const KINDS_NEEDING_SAMPLES: ReadonlySet<string> = new Set([
  'commissioned_test',
  'outsourced_experiment',
  'calibration',
]);

/** Whether an order of lines of these kinds waits for samples before its clock starts. */
export const needsSamplesFor = (kinds: readonly string[]) => kinds.some((k) => KINDS_NEEDING_SAMPLES.has(k));
