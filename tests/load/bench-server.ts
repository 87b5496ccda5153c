// A server process for the booking benchmark, so that the load generator and the server under test
// never share one event loop. Started by booking-bench.ts; prints `{"port": n}` once listening and
// stops on SIGTERM. Loopback only.
//   BENCH_SERVER=api       the real QIHub API (buildApp, real clock, no Redis: jobs in-process)
//   BENCH_SERVER=baseline  a bare Fastify + pg server inserting one row per POST /rows
// BENCH_DATABASE_URL: the scratch database; BENCH_POOL: connections in the server's pool.
import { buildApp, loadConfig } from '@qihub/api';
import { createDb } from '@qihub/db';
import Fastify from 'fastify';
import pg from 'pg';

const kind = process.env.BENCH_SERVER;
const url = process.env.BENCH_DATABASE_URL;
const poolSize = Number(process.env.BENCH_POOL ?? 16);
if (!url || (kind !== 'api' && kind !== 'baseline')) {
  throw new Error('BENCH_SERVER (api | baseline) and BENCH_DATABASE_URL are required');
}

let close: () => Promise<void>;
let port: number;

if (kind === 'api') {
  const handle = createDb(url, { max: poolSize });
  // Auth is rate-limited on the auth routes only; the bench never logs in (sessions are seeded).
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url });
  const app = await buildApp(
    { config, db: handle.db, clock: () => new Date(), queue: null, redis: null },
    { logger: false },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
  close = async () => {
    await app.close();
    await handle.close();
  };
} else {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const app = Fastify({ logger: false });
  app.post<{ Body: { instrumentId: string; start: string; end: string; note?: string } }>(
    '/rows',
    async (req, reply) => {
      const { instrumentId, start, end, note } = req.body;
      const { rows } = await pool.query<{ id: string; created_at: Date }>(
        'INSERT INTO bench_baseline_rows (instrument_id, starts_at, ends_at, note) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
        [instrumentId, start, end, note ?? ''],
      );
      return reply.code(201).send({ id: rows[0]!.id, instrumentId, start, end, createdAt: rows[0]!.created_at });
    },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
  close = async () => {
    await app.close();
    await pool.end();
  };
}

process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => {
  close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
