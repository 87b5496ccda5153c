import { Queue, type ConnectionOptions } from 'bullmq';
import { QUEUE_NAME, toQueueJobId, type JobName } from './contracts.ts';

/** Producer side of the job queue (BullMQ on Redis). */
export interface JobQueue {
  queue: Queue;
  add(name: JobName | string, payload: Record<string, unknown>, jobId: string): Promise<void>;
  close(): Promise<void>;
}

export function createJobQueue(connection: ConnectionOptions, prefix: string): JobQueue {
  const queue = new Queue(QUEUE_NAME, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000 },
      // Completed jobs are kept a day so a replayed jobId within that time is ignored by BullMQ.
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  return {
    queue,
    async add(name, payload, jobId) {
      // BullMQ ignores an add whose jobId already exists: the relay may repeat itself safely.
      await queue.add(name, payload, { jobId: toQueueJobId(jobId) });
    },
    close: () => queue.close(),
  };
}
