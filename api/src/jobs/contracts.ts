import { Type, type Static, type TSchema } from 'typebox';

/** Every job name and its payload; the worker refuses to start unless each has exactly one handler. */
export const QUEUE_NAME = 'qihub';

export const JobPayloads = {
  /** Moves committed outbox rows onto the queue (a periodic sweep). */
  'outbox.relay': Type.Object({}),
  /** In-app welcome for a newly registered user. */
  'notify.welcome': Type.Object({ userId: Type.String(), orgId: Type.String() }),
  /** Tells platform admins whose region covers the lab that it applied for admission. */
  'notify.lab-application': Type.Object({ labId: Type.String() }),
  /** Sweep: holds past their expiry become `expired` and free their slot. */
  'bookings.expire-holds': Type.Object({}),
  /** E-mails an invitation to join a lab to an address with no account (only with SMTP), once. */
  'labs.invitation-email': Type.Object({ invitationId: Type.String() }),
  /** Tells the lab's managers that the platform admitted it. */
  'notify.lab-admitted': Type.Object({ labId: Type.String() }),
  /** Sweep: reminders 24 h and 1 h before the start of confirmed bookings, each at most once. */
  'bookings.send-reminders': Type.Object({}),
  /** Sweep: confirmed bookings with no check-in by start + late-void time become `no_show`. */
  'bookings.release-no-shows': Type.Object({}),
  /** Sweep (only with SMTP_URL): queues one email per recent notification. */
  'notify.email-sweep': Type.Object({}),
  /** Emails one notification to its user; sent at most once per notification. */
  'notify.email': Type.Object({ notificationId: Type.String() }),
  /** Sweep: waitlist offers — freed times offered to the first in line, lapsed offers to the next. */
  'bookings.waitlist-sweep': Type.Object({}),
  /** Sweep: quotes past their validity date become `expired`. */
  'orders.expire-quotes': Type.Object({}),
  /** Sweep: due-date reminders (one working day before) and overdue alerts to the lab, each once. */
  'orders.due-alerts': Type.Object({}),
  /** Sweep: issued orders whose objection window has passed with no open objection become `closed`. */
  'orders.close-objection-windows': Type.Object({}),
  /** Renders and stores one issued report's PDF (and its SHA-256); a no-op if already rendered. */
  'reports.render-pdf': Type.Object({ reportId: Type.String() }),
  /** Sweep: issued reports that still have no PDF get a render job. */
  'reports.render-sweep': Type.Object({}),
  /** Sweep: recall reminders to customers whose calibrated instruments fall due soon, each once. */
  'calibration.recall-reminders': Type.Object({}),
  /** Sweep: reminders to registrants the day before an event session, each once. */
  'events.reminders': Type.Object({}),
  /**
   * An invoice turned paid (written by `recordPayment` and by bank matching, dedupe key
   * `invoices.paid:<invoiceId>`): orders waiting for it under prepay continue.
   */
  'invoices.paid': Type.Object({ invoiceId: Type.String() }),
  /**
   * A prepay invoice was voided and its charges released from prepayment (dedupe key
   * `invoices.prepay-released:<invoiceId>`): the orders that waited for it in `accepted` go on.
   */
  'invoices.prepay-released': Type.Object({ invoiceId: Type.String(), orderIds: Type.Array(Type.String()) }),
  /** Sweep (月结): each monthly customer's lines of months already over go on one invoice. */
  'invoices.monthly': Type.Object({}),
  /** Sweep (hourly): queues a build of each of last month's lab (and monthly-account customer) statements not built yet. */
  'statements.build-monthly': Type.Object({}),
  /** Builds one month's statement unless it is already stored (a rebuild would give the same files anyway). */
  'statements.build': Type.Object({
    labId: Type.String(),
    month: Type.String(),
    customerOrgId: Type.Union([Type.String(), Type.Null()]),
  }),
  /** Sweep (daily): recomputes the reconciliation's discrepancies (idempotent). */
  'reconciliation.recompute': Type.Object({}),
  /** Processes one stored processor (Stripe) webhook event: re-reads its object, records a payment once. */
  'payments.process-event': Type.Object({ eventId: Type.String({ maxLength: 255 }) }),
  /**
   * Charges a booking's invoice (check-out, late cancellation, no-show) to the customer's card on
   * file with the lab, off-session, once per invoice (dedupe key `payments.charge-saved-card:<invoiceId>`).
   */
  'payments.charge-saved-card': Type.Object({ invoiceId: Type.String({ maxLength: 64 }) }),
  /** Sweep (daily): lists recent events of every connected account and stores any never delivered. */
  'payments.events-sweep': Type.Object({}),
  /**
   * Sweep (hourly): the platforms' service fee invoices of the month before to their labs, each
   * (lab, month) once; and the labs' side of fee payments not booked yet.
   */
  'platform-fees.monthly': Type.Object({}),
} satisfies Record<string, TSchema>;

export type JobName = keyof typeof JobPayloads;
export type JobPayload<N extends JobName> = Static<(typeof JobPayloads)[N]>;
export const JOB_NAMES = Object.keys(JobPayloads) as JobName[];

/**
 * Periodic sweeps over the database, so that anything a lost job missed is caught: the worker
 * registers each as a BullMQ job scheduler, and the in-process runner (no REDIS_URL) keeps the same
 * interval for each; either way a sweep runs at start, then every `everyMs`.
 */
export const SWEEPS: readonly { name: JobName; everyMs: number }[] = [
  { name: 'bookings.expire-holds', everyMs: 15_000 },
  { name: 'bookings.send-reminders', everyMs: 60_000 },
  { name: 'bookings.release-no-shows', everyMs: 60_000 },
  { name: 'bookings.waitlist-sweep', everyMs: 15_000 },
  { name: 'notify.email-sweep', everyMs: 30_000 },
  { name: 'orders.expire-quotes', everyMs: 60_000 },
  { name: 'orders.due-alerts', everyMs: 300_000 },
  { name: 'orders.close-objection-windows', everyMs: 300_000 },
  { name: 'reports.render-sweep', everyMs: 30_000 },
  { name: 'calibration.recall-reminders', everyMs: 3_600_000 },
  { name: 'events.reminders', everyMs: 300_000 },
  { name: 'invoices.monthly', everyMs: 3_600_000 },
  { name: 'statements.build-monthly', everyMs: 3_600_000 },
  { name: 'reconciliation.recompute', everyMs: 86_400_000 },
  { name: 'payments.events-sweep', everyMs: 86_400_000 },
  { name: 'platform-fees.monthly', everyMs: 3_600_000 },
];

/**
 * The id a job carries on the queue and into its handler: the outbox dedupe key with ":" (a Redis
 * key separator BullMQ refuses in custom ids) replaced. The same in BullMQ and in-process modes, so
 * a handler's once-only guard holds across a switch between them.
 */
export function toQueueJobId(dedupeKey: string): string {
  return dedupeKey.replace(/:/g, '_');
}
