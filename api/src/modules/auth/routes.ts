import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../lib/errors.ts';
import { problems } from '../../lib/schema.ts';
import { LoginBody, Me, RegisterBody, SessionOut } from './schema.ts';
import * as auth from './service.ts';
import { SESSION_COOKIE } from './tokens.ts';

export function toMe(result: Awaited<ReturnType<typeof auth.currentUser>>) {
  return {
    id: result.user.id,
    email: result.user.email,
    displayName: result.user.displayName,
    locale: result.user.locale,
    memberships: result.memberships.map((m) => ({
      orgId: m.orgId,
      orgKind: m.orgKind,
      orgNameZh: m.orgNameZh,
      orgNameEn: m.orgNameEn,
      orgStatus: m.orgStatus,
      role: m.role,
      regionCode: m.regionCode,
      booksAsCustomer: m.booksAsCustomer,
    })),
  };
}

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock, sessionTtlMinutes: app.ctx.config.sessionTtlMinutes });
  // Per address: every login and registration attempt from one client (behind a reverse proxy the
  // web server must pass the real address on: ADDRESS_HEADER / XFF_DEPTH, see the README).
  const rateLimit = { max: app.ctx.config.authRateLimit.max, timeWindow: app.ctx.config.authRateLimit.windowMs };
  // Per account, from any address: failed sign-ins for one email, so that guessing one person's
  // password stops however many addresses the guesses come from.
  const accountFailures = app.createRateLimit({
    keyGenerator: (request) => `login-account:${auth.normaliseEmail((request.body as { email?: string }).email ?? '')}`,
    max: app.ctx.config.authAccountLimit.max,
    timeWindow: app.ctx.config.authAccountLimit.windowMs,
  });

  async function sessionReply(reply: FastifyReply, grant: auth.SessionGrant, status: number) {
    const me = await auth.currentUser(deps(), {
      kind: 'user',
      userId: grant.userId,
      tokenId: null,
      sessionId: null,
      memberships: [],
    });
    reply.setCookie(SESSION_COOKIE, grant.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: app.ctx.config.cookieSecure,
      path: '/',
      expires: grant.expiresAt,
    });
    return reply.code(status).send({ token: grant.token, expiresAt: grant.expiresAt.toISOString(), user: toMe(me) });
  }

  app.post(
    '/v1/auth/login',
    {
      config: { rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets an httpOnly session cookie and returns a bearer token',
        body: LoginBody,
        response: { 200: SessionOut, ...problems(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const failures = await accountFailures(request, { increment: false });
      if (!failures.isAllowed && failures.remaining === 0) {
        reply.header('retry-after', String(Math.max(1, failures.ttlInSeconds)));
        throw new AppError(429, 'rate_limited', 'Too many failed sign-ins for this account; try again later.');
      }
      let grant: auth.SessionGrant;
      try {
        grant = await auth.login(deps(), { ...request.body, userAgent: request.headers['user-agent'] ?? null });
      } catch (error) {
        if (error instanceof AppError && error.code === 'invalid_credentials') await accountFailures(request);
        throw error;
      }
      return sessionReply(reply, grant, 200);
    },
  );

  app.post(
    '/v1/auth/register',
    {
      config: { rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Register an enterprise (with its unified social credit code) or apply as a lab',
        body: RegisterBody,
        response: { 201: SessionOut, ...problems(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const grant = await auth.register(deps(), request.body, request.headers['user-agent'] ?? null);
      return sessionReply(reply, grant, 201);
    },
  );

  app.post(
    '/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the current session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      await auth.logout(deps(), request.actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and their memberships',
        response: { 200: Me, ...problems(401) },
      },
    },
    async (request) => toMe(await auth.currentUser(deps(), request.actor)),
  );
};
