import type { Db } from '@qihub/db';
import { Value } from 'typebox/value';
import type { StripeSettings } from '../config.ts';
import type { Mailer } from '../lib/mailer.ts';
import { observeJob, type Metrics } from '../lib/metrics.ts';
import { JOB_NAMES, JobPayloads, type JobName } from './contracts.ts';

/** Hands a relayed outbox row to whatever runs jobs: the BullMQ queue, or the registry in-process. */
export type Dispatch = (topic: string, payload: Record<string, unknown>, jobId: string) => Promise<void>;

/** What every module's job handlers are built from (`createJobHandlers`). */
export interface JobDeps {
  db: Db;
  /** Where relayed outbox rows go: the BullMQ queue, or straight to the registry in-process. */
  dispatch: Dispatch;
  /** "Now" for the sweeps (hold expiry, reminders, no-shows); a test hands in a fake clock. */
  clock?: () => Date;
  /** Set when SMTP_URL is: notifications are then also emailed. */
  mailer?: Mailer | null;
  /** Base of the links in emails (PUBLIC_WEB_URL). */
  webUrl?: string;
  /** Where report PDFs and uploads are stored (FILES_DIR). */
  filesDir?: string;
  /** Card payments (STRIPE_*); undefined: read from the environment, null: not offered. */
  stripe?: StripeSettings | null;
}

export interface JobContext {
  /** Deterministic id (the outbox dedupe key); handlers use it to apply an effect at most once. */
  jobId: string;
}

export interface JobHandler<N extends JobName = JobName> {
  name: N;
  handle(payload: unknown, ctx: JobContext): Promise<void>;
}

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

export class UnknownJobError extends Error {}
export class InvalidPayloadError extends Error {}

export interface JobRegistry {
  names: readonly JobName[];
  run(name: string, payload: unknown, ctx: JobContext): Promise<void>;
}

/**
 * Fail at boot, not at 3 a.m.: every declared job name must have exactly one handler, and no
 * handler may be registered for an undeclared name.
 */
export function createRegistry(handlers: JobHandler[], names: readonly string[] = JOB_NAMES): JobRegistry {
  const byName = new Map<string, JobHandler>();
  const problems: string[] = [];
  for (const h of handlers) {
    if (!names.includes(h.name)) problems.push(`handler for undeclared job "${h.name}"`);
    if (byName.has(h.name)) problems.push(`two handlers for job "${h.name}"`);
    byName.set(h.name, h);
  }
  for (const name of names) if (!byName.has(name)) problems.push(`no handler for job "${name}"`);
  if (problems.length > 0) throw new RegistryError(`Job registry refused to start: ${problems.join('; ')}`);
  return {
    names: names as JobName[],
    async run(name, payload, ctx) {
      const handler = byName.get(name);
      if (!handler) throw new UnknownJobError(`no handler for job "${name}"`);
      const schema = JobPayloads[name as JobName];
      if (schema && !Value.Check(schema, payload)) {
        throw new InvalidPayloadError(`invalid payload for job "${name}"`);
      }
      await handler.handle(payload, ctx);
    },
  };
}

/** The same registry, each run counted and timed by job name (nothing changes without metrics). */
export function withMetrics(registry: JobRegistry, metrics: Metrics | undefined): JobRegistry {
  if (!metrics) return registry;
  return {
    names: registry.names,
    run: (name, payload, ctx) => observeJob(metrics, name, () => registry.run(name, payload, ctx)),
  };
}
