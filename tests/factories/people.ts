import type { FastifyInstance } from 'fastify';
import { login } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { USERS } from '../support/scenario.ts';

/** A demo account by its role in the seed: `sme`, `lab`, `operator`, `lab2`, `officer` … */
export type Who = keyof typeof USERS;

/** Signs the given demo people in at once: `const tok = await signIn(app, ['sme', 'lab'])`. */
export async function signIn<W extends string>(
  app: FastifyInstance,
  who: readonly W[],
  emails: Record<W, string> = USERS as unknown as Record<W, string>,
): Promise<Record<W, string>> {
  const tokens = await Promise.all(who.map((w) => login(app, emails[w])));
  return Object.fromEntries(who.map((w, i) => [w, tokens[i]])) as Record<W, string>;
}

export async function userIdOf(db: TestDatabase, email: string): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
  if (!rows[0]) throw new Error(`no user ${email}`);
  return rows[0].id;
}

/** The user ids of demo people: `const uid = await userIdsOf(db, ['sme', 'sme2'])`. */
export async function userIdsOf<W extends Who>(db: TestDatabase, who: readonly W[]): Promise<Record<W, string>> {
  const ids = await Promise.all(who.map((w) => userIdOf(db, USERS[w])));
  return Object.fromEntries(who.map((w, i) => [w, ids[i]])) as Record<W, string>;
}
