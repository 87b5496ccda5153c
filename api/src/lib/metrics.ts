import { timingSafeEqual } from 'node:crypto';
import type { Db } from '@qihub/db';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { outboxLag } from './repository/outbox-lag.ts';

/**
 * Prometheus metrics of one process (the API or a worker), on a registry of its own so that
 * several apps in one test process never share counters. Names follow Prometheus' conventions:
 * `_seconds` for durations, `_total` for counters.
 */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  jobs: Counter<'job' | 'outcome'>;
  jobDuration: Histogram<'job'>;
  jobFailures: Counter<'job'>;
  /** What the gauges read at scrape time; each source is optional. */
  watch(sources: { db?: Db; queue?: Queue | null }): void;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300];
/** The queue states worth a gauge: what waits, runs, is delayed for a retry, or failed for good. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

export function createMetrics(role: 'api' | 'worker'): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: role });
  collectDefaultMetrics({ register: registry, prefix: 'qihub_' });
  const sources: { db?: Db; queue?: Queue | null } = {};

  const httpDuration = new Histogram({
    name: 'qihub_http_request_duration_seconds',
    help: 'HTTP requests by route pattern (never the raw URL), method and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const jobs = new Counter({
    name: 'qihub_jobs_total',
    help: 'Jobs run, by job name and outcome (completed or failed)',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'qihub_job_duration_seconds',
    help: 'How long a job run took, by job name',
    labelNames: ['job'] as const,
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'qihub_job_failures_total',
    help: 'Job runs that threw, by job name',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'qihub_queue_jobs',
    help: 'Jobs on the BullMQ queue by state (absent when jobs run in the API process)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!sources.queue) return;
      const counts = await sources.queue.getJobCounts(...QUEUE_STATES);
      for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  // One query feeds the three outbox gauges; each collect() reads the same scrape's answer.
  let lag: Promise<Awaited<ReturnType<typeof outboxLag>> | null> | null = null;
  const readLag = () => {
    lag ??= (sources.db ? outboxLag(sources.db) : Promise.resolve(null)).finally(() =>
      setImmediate(() => (lag = null)),
    );
    return lag;
  };
  new Gauge({
    name: 'qihub_outbox_pending',
    help: 'Outbox rows due for relay and not relayed yet',
    registers: [registry],
    async collect() {
      const l = await readLag();
      if (l) this.set(l.pending);
    },
  });
  new Gauge({
    name: 'qihub_outbox_lag_seconds',
    help: 'How long the oldest due outbox row has waited for the relay',
    registers: [registry],
    async collect() {
      const l = await readLag();
      if (l) this.set(l.oldestSeconds);
    },
  });
  new Gauge({
    name: 'qihub_outbox_dead',
    help: 'Outbox rows parked as dead letters',
    registers: [registry],
    async collect() {
      const l = await readLag();
      if (l) this.set(l.dead);
    },
  });
  new Gauge({
    name: 'qihub_db_pool_connections',
    help: 'PostgreSQL pool connections: total, idle, and callers waiting for one',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = sources.db?.$client;
      if (!pool) return;
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });

  return {
    registry,
    httpDuration,
    jobs,
    jobDuration,
    jobFailures,
    watch(s) {
      Object.assign(sources, s);
    },
  };
}

/** Times one job run into the metrics; rethrows its failure unchanged. */
export async function observeJob<T>(metrics: Metrics | undefined, job: string, run: () => Promise<T>): Promise<T> {
  if (!metrics) return run();
  const end = metrics.jobDuration.startTimer({ job });
  try {
    const result = await run();
    metrics.jobs.inc({ job, outcome: 'completed' });
    return result;
  } catch (error) {
    metrics.jobs.inc({ job, outcome: 'failed' });
    metrics.jobFailures.inc({ job });
    throw error;
  } finally {
    end();
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Who may read /metrics: a scraper on the same machine (loopback), or one that shows
 * `Authorization: Bearer $METRICS_TOKEN`. Anyone else is told there is nothing here (404), so the
 * endpoint does not even show that it exists.
 */
export function mayReadMetrics(
  address: string | undefined,
  authorization: string | undefined,
  token?: string,
): boolean {
  if (address && LOOPBACK.test(address)) return true;
  if (!token || !authorization?.startsWith('Bearer ')) return false;
  const given = Buffer.from(authorization.slice('Bearer '.length).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
