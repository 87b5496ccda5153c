import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, problems } from '../../lib/schema.ts';
import { LabDetail } from './schema.ts';
import { getLab } from './service.ts';

export const labRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/labs/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'A lab: sites, qualifications (CMA/CNAS with scope) and catalogue counts',
        params: IdParams,
        response: { 200: LabDetail, ...problems(400, 404) },
      },
    },
    async (request) => getLab({ db: app.ctx.db, clock: app.ctx.clock }, request.actor, request.params.id),
  );
};
