import type { Db } from '@qihub/db';

/** What the order use cases need from outside: the database and "now" (a test hands in a fake clock). */
export interface OrderDeps {
  db: Db;
  clock: () => Date;
}
