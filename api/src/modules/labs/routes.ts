import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, problems } from '../../lib/schema.ts';
import { LabDetail, LabMemberList } from './schema.ts';
import { getLab, listLabMembers } from './service.ts';

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

  app.get(
    '/v1/labs/:id/members',
    {
      schema: {
        tags: ['lab console'],
        summary: "The lab's members by name and role (its members only), e.g. to name a report's tester",
        params: IdParams,
        response: { 200: LabMemberList, ...problems(400, 401, 403) },
      },
    },
    async (request) => listLabMembers({ db: app.ctx.db, clock: app.ctx.clock }, request.actor, request.params.id),
  );
};
