import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { Db } from '@qihub/db';
import type { Mailer } from '@qihub/api/lib/mailer';
import type { Metrics } from '@qihub/api/lib/metrics';
import {
  createJobHandlers,
  createJobQueue,
  createRegistry,
  InvalidPayloadError,
  QUEUE_NAME,
  returnToOutbox,
  SWEEPS,
  UnknownJobError,
  withMetrics,
  type JobQueue,
  type JobRegistry,
} from '@qihub/api/jobs';

export interface WorkerOptions {
  db: Db;
  connection: ConnectionOptions;
  prefix: string;
  /** This worker's name on the queue (a job's `processedBy`). */
  name?: string;
  concurrency?: number;
  /** How often the outbox sweep runs (ms). */
  relayEveryMs?: number;
  /** How often the database sweeps (expired holds, reminders, no-shows …) run (ms); default: each its own. */
  sweepEveryMs?: number;
  /** "Now" for the sweeps; a test hands in a fake clock. */
  clock?: () => Date;
  /** Set when SMTP_URL is: notifications are then also emailed. */
  mailer?: Mailer | null;
  /** Base of the links in emails (PUBLIC_WEB_URL). */
  webUrl?: string;
  /** Where report PDFs are stored (FILES_DIR). */
  filesDir?: string;
  log?: (msg: string, extra?: unknown) => void;
  /** Counts and times every job, and reads queue depth, outbox lag and pool use at scrape time. */
  metrics?: Metrics;
}

export interface RunningWorker {
  registry: JobRegistry;
  worker: Worker;
  queue: JobQueue;
  close(): Promise<void>;
}

/**
 * The BullMQ worker: one queue, jobs dispatched by name through the registry (which refused to
 * build if any job lacked a handler or had two), plus a job scheduler that runs the outbox relay.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const queue = createJobQueue(options.connection, options.prefix);
  const registry = withMetrics(
    createRegistry(
      createJobHandlers({
        db: options.db,
        dispatch: (name, payload, jobId) => queue.add(name, payload, jobId),
        clock: options.clock,
        mailer: options.mailer,
        webUrl: options.webUrl,
        filesDir: options.filesDir,
      }),
    ),
    options.metrics,
  );
  options.metrics?.watch({ db: options.db, queue: queue.queue });
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      try {
        await registry.run(job.name, job.data, { jobId: job.id ?? `${job.name}:${job.timestamp}` });
      } catch (error) {
        // A job that can never succeed is not retried.
        if (error instanceof UnknownJobError || error instanceof InvalidPayloadError) {
          throw new UnrecoverableError((error as Error).message);
        }
        throw error;
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      name: options.name,
      concurrency: options.concurrency ?? 4,
      autorun: true,
    },
  );
  worker.on('failed', (job, err) => {
    options.log?.(`job ${job?.name}#${job?.id} failed: ${err.message}`);
    // Scheduled sweeps simply run again on their next tick.
    if (!job?.id || job.repeatJobKey) return;
    // A hopeless job stays in the failed set for inspection; a retried one is not final yet.
    if (err instanceof UnrecoverableError || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    // Out of retries: hand the row back to the outbox and free the job id, so a later sweep
    // relays it again instead of the side effect being lost.
    void returnToOutbox(options.db, job.id, err.message)
      .then((returned) => (returned ? job.remove() : undefined))
      .catch((e: unknown) => options.log?.(`could not return job ${job.id} to the outbox: ${String(e)}`));
  });
  for (const sweep of SWEEPS) {
    await queue.queue.upsertJobScheduler(
      sweep.name.replace(/\./g, '-'),
      { every: options.sweepEveryMs ?? sweep.everyMs },
      { name: sweep.name, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
  await queue.queue.upsertJobScheduler(
    'outbox-relay',
    { every: options.relayEveryMs ?? 1000 },
    { name: 'outbox.relay', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
  await worker.waitUntilReady();
  return {
    registry,
    worker,
    queue,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
