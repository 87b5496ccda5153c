/** Real services used by the tests (see STACK.md); override with TEST_DATABASE_URL / TEST_REDIS_URL. */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export const TEMPLATE_ENV = 'QIHUB_TEST_TEMPLATE_DB';

/** The prefix of this run's test databases (`qihub_t_<pid of the run>_`), dropped by the global teardown. */
export const DATABASE_PREFIX_ENV = 'QIHUB_TEST_DB_PREFIX';
