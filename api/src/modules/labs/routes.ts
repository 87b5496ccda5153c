import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, problems } from '../../lib/schema.ts';
import { LabDetail, LabMemberList, ScopeSearchPage, ScopeSearchQuery } from './schema.ts';
import { searchScope } from './scope-search.ts';
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

  app.get(
    '/v1/scope-search',
    {
      schema: {
        tags: ['catalogue'],
        summary:
          'Labs whose valid CMA / CNAS scope covers a standard number or a parameter, with the matching scope lines',
        querystring: ScopeSearchQuery,
        response: { 200: ScopeSearchPage, ...problems(400) },
      },
    },
    async (request) => searchScope({ db: app.ctx.db, clock: app.ctx.clock }, request.query),
  );
};
