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
  /** Tells the lab's managers that the platform admitted it. */
  'notify.lab-admitted': Type.Object({ labId: Type.String() }),
} satisfies Record<string, TSchema>;

export type JobName = keyof typeof JobPayloads;
export type JobPayload<N extends JobName> = Static<(typeof JobPayloads)[N]>;
export const JOB_NAMES = Object.keys(JobPayloads) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JobPayloads, name);
}

/**
 * The id a job carries on the queue and into its handler: the outbox dedupe key with ":" (a Redis
 * key separator BullMQ refuses in custom ids) replaced. The same in BullMQ and in-process modes, so
 * a handler's once-only guard holds across a switch between them.
 */
export function toQueueJobId(dedupeKey: string): string {
  return dedupeKey.replace(/:/g, '_');
}
