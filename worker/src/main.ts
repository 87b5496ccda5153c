import { hostname } from 'node:os';
import { createDb, waitForSchema } from '@qihub/db';
import { embeddedUrl } from '@qihub/db/embedded';
import { loadConfig, loadDotEnv, redisConnection } from '@qihub/api';
import { clockFromConfig } from '@qihub/api/lib/clock';
import { mailerFromConfig } from '@qihub/api/lib/mailer';
import { createMetrics } from '@qihub/api/lib/metrics';
import type { Server } from 'node:http';
import { startWorker } from './index.ts';
import { serveMetrics } from './metrics-server.ts';

/** The worker process: `pnpm --filter @qihub/worker start` with DATABASE_URL and REDIS_URL set. */
async function main() {
  loadDotEnv();
  const config = loadConfig();
  if (!config.redisUrl) {
    console.log('[worker] no REDIS_URL: the job processors run inside the API process; nothing to do here.');
    return;
  }
  // Beside `pnpm start` on the embedded default, the API owns the embedded server; connect to it.
  const db = createDb(config.databaseUrl ?? embeddedUrl(config.embeddedPgPort));
  // The API migrates; a worker started first (or beside an API that has not finished) waits for the
  // schema instead of running its sweeps against tables that are not there yet.
  await waitForSchema(db.db, (m) => console.log(`[worker] ${m}`));
  const connection = redisConnection(config.redisUrl);
  const mailer = mailerFromConfig(config);
  const metrics = createMetrics('worker');
  const running = await startWorker({
    db: db.db,
    connection,
    prefix: config.queuePrefix,
    // Shown as the job's "processed by" (Bull Board, tests): which process ran it.
    name: `${hostname()}:${process.pid}`,
    clock: clockFromConfig(config),
    mailer,
    webUrl: config.publicWebUrl,
    filesDir: config.filesDir,
    log: (m) => console.log(`[worker] ${m}`),
    metrics,
  });
  console.log(`[worker] processing ${running.registry.names.join(', ')}`);
  // Metrics are for operators: a second worker on the same machine (port taken) runs without them
  // rather than not at all.
  let metricsServer: Server | null = null;
  if (config.workerMetrics.port > 0) {
    const { host, port } = config.workerMetrics;
    metricsServer = await serveMetrics(metrics, { host, port, token: config.metricsToken }).then(
      (server) => {
        console.log(`[worker] metrics on http://${host}:${port}/metrics`);
        return server;
      },
      (err: unknown) => {
        console.log(`[worker] no metrics endpoint (${err instanceof Error ? err.message : String(err)})`);
        return null;
      },
    );
  }
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    // Finish the jobs in hand, then close connections.
    metricsServer?.close();
    await running.close();
    mailer?.close();
    connection.disconnect();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
