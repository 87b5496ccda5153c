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

export function redisConnection(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest: null on connections used by workers; producers fail fast
  // through enableOfflineQueue: false so a request never hangs while Redis is down.
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
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
  const redis = config.redisUrl ? redisConnection(config.redisUrl) : null;
  const queue = redis ? createJobQueue(redis, config.queuePrefix) : null;
  return {
    db,
    embedded,
    redis,
    queue,
    async close() {
      await queue?.close();
      redis?.disconnect();
      await db.close();
      await embedded?.stop();
    },
  };
}
