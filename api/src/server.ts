import { buildApp } from './app.ts';
import { loadConfig, loadDotEnv } from './config.ts';
import { startInlineRunner, type InlineRunner } from './jobs/inline.ts';
import { clockFromConfig } from './lib/clock.ts';
import { mailerFromConfig } from './lib/mailer.ts';
import { startInfrastructure } from './runtime.ts';

/** The API process: `pnpm start` (with the web) or `pnpm --filter @qihub/api start`. */
async function main() {
  loadDotEnv();
  const config = loadConfig();
  const infra = await startInfrastructure(config, (m) => console.log(`[qihub] ${m}`));
  const clock = clockFromConfig(config);
  const app = await buildApp({
    config,
    db: infra.db.db,
    clock,
    queue: infra.queue,
    redis: infra.redis,
  });
  // Without Redis the job processors run in this process (demo mode); with Redis, in the worker.
  const inline: InlineRunner | null = infra.queue
    ? null
    : startInlineRunner(infra.db.db, {
        log: (err) => app.log.error({ err }, 'inline job failed'),
        clock,
        mailer: mailerFromConfig(config),
        webUrl: config.publicWebUrl,
        filesDir: config.filesDir,
        metrics: app.metrics,
      });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down');
    const force = setTimeout(() => process.exit(1), config.shutdownDrainMs + 15_000);
    force.unref();
    try {
      // Drain: /readyz says 503 while the API keeps serving, until the load balancer has taken it
      // out of rotation; then stop accepting connections and finish the requests in hand.
      app.lifecycle.draining = true;
      if (config.shutdownDrainMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
      await app.close();
      await inline?.stop();
      await infra.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
