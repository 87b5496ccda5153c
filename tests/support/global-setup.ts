import pg from 'pg';
import { createDb, runMigrations } from '@qihub/db';
import { seedDemo } from '@qihub/db/seed';
import { ADMIN_DATABASE_URL, DATABASE_PREFIX_ENV, databaseUrl, TEMPLATE_ENV } from './env.ts';

/**
 * Once per run: a template database, migrated from empty and seeded with the demo data. Each test
 * file clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds. The clones are dropped here
 * at the end of the run, not by their files (see TestDatabase.drop in db.ts).
 */
export default async function setup() {
  const name = `qihub_tpl_${process.pid}_${Date.now().toString(36)}`;
  const prefix = `qihub_t_${process.pid}_`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const handle = createDb(databaseUrl(name), { max: 2 });
  await runMigrations(handle.db);
  // Seeded at the test clock's epoch (TEST_EPOCH in app.ts, not imported: it pulls in vitest), so
  // the demo's public notice is dated the same in every run, whatever day the tests run.
  await seedDemo(handle.db, { now: new Date('2026-11-26T02:00:00Z') });
  await handle.close();
  process.env[TEMPLATE_ENV] = name;
  process.env[DATABASE_PREFIX_ENV] = prefix;
  return async () => {
    // Clones hold no connection to the template, so it can be dropped at once.
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    // A prefix compare, not LIKE: "_" is a LIKE wildcard and would match other runs' databases.
    const clones = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE left(datname, length($1)) = $1`,
      [prefix],
    );
    await admin.end();
    // Each DROP DATABASE waits for a checkpoint; drops waiting at the same time share one, so a few
    // connections drop the run's databases side by side.
    const names = clones.rows.map((r) => r.datname);
    const dropping = Array.from({ length: Math.min(4, names.length) }, async () => {
      const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await client.connect();
      try {
        for (let next = names.pop(); next; next = names.pop()) {
          await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(next)} WITH (FORCE)`);
        }
      } finally {
        await client.end();
      }
    });
    await Promise.all(dropping);
  };
}
