import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { pingDatabase } from './repository.ts';

const Check = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('fail'), Type.Literal('skipped')]) });

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Readiness: the database (and Redis when configured) answer, and the process is not shutting down',
        response: {
          200: Type.Object({ status: Type.String(), checks: Type.Object({ database: Check, redis: Check }) }),
          503: Type.Object({ status: Type.String(), checks: Type.Object({ database: Check, redis: Check }) }),
        },
      },
    },
    async (_request, reply) => {
      if (app.lifecycle.draining) {
        // Shutting down (SIGTERM): still serving, but no longer taking new traffic.
        return reply.code(503).send({
          status: 'draining',
          checks: { database: { status: 'skipped' }, redis: { status: 'skipped' } },
        });
      }
      const withTimeout = <T>(p: Promise<T>) =>
        Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
      const database = await withTimeout(pingDatabase(app.ctx.db)).then(
        () => 'ok' as const,
        () => 'fail' as const,
      );
      const redis = app.ctx.redis
        ? await withTimeout(app.ctx.redis.ping()).then(
            () => 'ok' as const,
            () => 'fail' as const,
          )
        : ('skipped' as const);
      const ok = database === 'ok' && redis !== 'fail';
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'unavailable',
        checks: { database: { status: database }, redis: { status: redis } },
      });
    },
  );
};
