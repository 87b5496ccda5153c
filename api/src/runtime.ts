import { createDb, runMigrations, type DbHandle } from '@qihub/db';
import { startEmbeddedPostgres, type EmbeddedServer } from '@qihub/db/embedded';
import { seedDemo } from '@qihub/db/seed';
import { Redis } from 'ioredis';
import type { Config } from './config.ts';
import { createJobQueue, type JobQueue } from './jobs/queue.ts';

export interface Infrastructure {
  db: DbHandle;
  embedded: EmbeddedServer | null;
  redis: Redis | null;
  queue: JobQueue | null;
  close(): Promise<void>;
}

/** For BullMQ queues and workers, which need `maxRetriesPerRequest: null`. */
export function redisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/**
 * For request paths (rate limits, readiness): fails fast while Redis is down instead of queueing
 * commands, so a login never hangs on an outage.
 */
export function requestRedis(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
}

/**
 * Brings up what the process needs: the database (embedded when DATABASE_URL is unset), migrations,
 * the demo seed when asked, and Redis + the job queue when REDIS_URL is set.
 */
export async function startInfrastructure(config: Config, log: (msg: string) => void): Promise<Infrastructure> {
  let embedded: EmbeddedServer | null = null;
  let url = config.databaseUrl;
  if (!url) {
    log(`No DATABASE_URL: starting embedded PostgreSQL on 127.0.0.1:${config.embeddedPgPort}`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
    url = embedded.url;
  }
  const db = createDb(url);
  if (config.migrateOnStart) await runMigrations(db.db);
  const seed = config.seedDemo ?? embedded !== null;
  if (seed) {
    const summary = await seedDemo(db.db);
    log(`Demo data ready: ${JSON.stringify(summary)}`);
  }
  const redis = config.redisUrl ? requestRedis(config.redisUrl) : null;
  const queueConnection = config.redisUrl ? redisConnection(config.redisUrl) : null;
  const queue = queueConnection ? createJobQueue(queueConnection, config.queuePrefix) : null;
  return {
    db,
    embedded,
    redis,
    queue,
    async close() {
      await queue?.close();
      queueConnection?.disconnect();
      redis?.disconnect();
      await db.close();
      await embedded?.stop();
    },
  };
}
