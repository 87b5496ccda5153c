import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveActor } from '../modules/auth/service.ts';

export const SESSION_COOKIE = 'qihub_session';

/** The bearer secret from `Authorization: Bearer …` or the session cookie. */
export function credentialOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return request.cookies[SESSION_COOKIE];
}

/** Resolves the actor once per request; routes decide what the actor may do via services. */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const secret = credentialOf(request);
    if (!secret || secret.length > 200) return;
    request.actor = await resolveActor(
      { db: app.ctx.db, clock: app.ctx.clock, sessionTtlMinutes: app.ctx.config.sessionTtlMinutes },
      secret,
    );
  });
}
