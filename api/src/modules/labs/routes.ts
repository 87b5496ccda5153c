import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { IdParams } from '../../lib/schema.ts';
import { LabDetail, LabMemberList } from './schema.ts';
import { getLab, listLabMembers } from './service.ts';

export const labRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/labs/:id',
    documented(
      ['catalogue'],
      { params: IdParams, answer: LabDetail, problems: [400, 404] },
      'A lab: sites, qualifications (CMA/CNAS with scope) and catalogue counts',
    ),
    async (request) => getLab({ db: app.ctx.db, clock: app.ctx.clock }, request.actor, request.params.id),
  );

  app.get(
    '/v1/labs/:id/members',
    documented(
      ['lab console'],
      { params: IdParams, answer: LabMemberList, problems: [400, 401, 403] },
      "The lab's members by name and role (its members only), e.g. to name a report's tester",
    ),
    async (request) => listLabMembers({ db: app.ctx.db, clock: app.ctx.clock }, request.actor, request.params.id),
  );
};
