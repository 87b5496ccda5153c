import type { Db } from '@qihub/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireActor, type Actor, type ActorMembership } from '../lib/actor.ts';
import { hashSecret, resolveActor, SESSION_COOKIE, SESSION_PREFIX } from '../modules/auth/index.ts';

/** The bearer secret from `Authorization: Bearer …` or the session cookie. */
export function credentialOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return request.cookies[SESSION_COOKIE];
}

/**
 * A session secret's actor in one round trip: what `resolveActor` answers for a session (a live
 * session — not revoked, not expired at `now`, user not disabled — with the user's memberships
 * ordered by organisation name), read with one statement instead of two. Every request of a
 * signed-in user pays for this lookup, so it is worth the round trip.
 */
async function resolveSessionActor(db: Db, secret: string, now: Date): Promise<Actor | null> {
  // A named prepared statement: PostgreSQL plans it once per connection.
  const result = await db.$client.query<{ sessionId: string; userId: string; memberships: ActorMembership[] }>({
    name: 'qihub_session_actor',
    text: SESSION_ACTOR_SQL,
    values: [hashSecret(secret), now.toISOString()],
  });
  const row = result.rows[0];
  if (!row) return null;
  return { kind: 'user', userId: row.userId, tokenId: null, sessionId: row.sessionId, memberships: row.memberships };
}

const SESSION_ACTOR_SQL = `
  SELECT s.id AS "sessionId", s.user_id AS "userId",
    coalesce((SELECT json_agg(json_build_object('orgId', m.org_id, 'orgKind', o.kind, 'orgStatus', o.status,
          'role', m.role, 'regionCode', o.region_code) ORDER BY o.name_zh)
      FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.user_id = s.user_id), '[]'::json) AS memberships
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2::timestamptz AND u.disabled_at IS NULL
  LIMIT 1`;

/** Resolves the actor once per request; routes decide what the actor may do via services. */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const secret = credentialOf(request);
    if (!secret || secret.length > 200) return;
    request.actor = secret.startsWith(SESSION_PREFIX)
      ? await resolveSessionActor(app.ctx.db, secret, app.ctx.clock())
      : await resolveActor(
          { db: app.ctx.db, clock: app.ctx.clock, sessionTtlMinutes: app.ctx.config.sessionTtlMinutes },
          secret,
        );
  });
}

/**
 * An onRequest hook for routes that only signed-in callers use (every order route): a stranger gets
 * 401 before any request body is read or buffered.
 */
export async function refuseStrangers(request: FastifyRequest): Promise<void> {
  requireActor(request.actor);
}
