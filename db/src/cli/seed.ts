/**
 * Migrates the database and seeds reference + demo data (idempotent: safe to run again).
 * Usage: DATABASE_URL=postgres://user@host:5432/db pnpm --filter @qihub/db run seed
 */
import { createDb } from '../client.ts';
import { runMigrations } from '../migrate.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../seed/index.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'DATABASE_URL is not set.\nExample: DATABASE_URL=postgres://postgres@127.0.0.1:5432/qihub pnpm db:seed',
  );
  process.exit(1);
}

const handle = createDb(url, { max: 2 });
try {
  const started = Date.now();
  await runMigrations(handle.db);
  const summary = await seedDemo(handle.db);
  console.log(`Seeded in ${Date.now() - started} ms (inserted / total):`);
  for (const [name, c] of Object.entries(summary)) {
    console.log(`  ${name.padEnd(16)} ${String(c.inserted).padStart(4)} / ${c.total}`);
  }
  console.log(`\nDemo accounts (password "${DEMO_PASSWORD}"):`);
  for (const [email, role] of Object.entries(DEMO_ACCOUNTS)) console.log(`  ${email.padEnd(26)} ${role}`);
} catch (err) {
  console.error('Seeding failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await handle.close();
}
