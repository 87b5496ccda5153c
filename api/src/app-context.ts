import type { Db } from '@qihub/db';
import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { Actor } from './lib/actor.ts';
import type { Metrics } from './lib/metrics.ts';

/** What the HTTP layer hands to services: the database, the clock, the job queue. */
export interface AppContext {
  config: Config;
  db: Db;
  clock: () => Date;
  /** Present when REDIS_URL is set (BullMQ); null when jobs run in-process. */
  queue: JobQueue | null;
  /** A fail-fast connection for request paths (rate limits, readiness); null without Redis. */
  redis: Redis | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** Set on SIGTERM: /readyz answers 503 so that load balancers stop sending requests here. */
    lifecycle: { draining: boolean };
    /** This process's Prometheus metrics (served at /metrics); the in-process job runner counts into it too. */
    metrics: Metrics;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}
