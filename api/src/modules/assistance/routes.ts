import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { IdParams } from '../../lib/schema.ts';
import {
  AssistanceAssign,
  AssistanceCreate,
  AssistanceList,
  AssistanceListQuery,
  AssistanceOut,
  AssistanceVisitCreate,
} from './schema.ts';
import * as handling from './handling.ts';
import * as queries from './queries.ts';
import { createRequest } from './request.ts';

/** Quality technical assistance (质量技术帮扶): requests, expert assignment, visit records. */
export const assistanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });
  const tags = ['assistance'];

  app.post(
    '/v1/assistance-requests',
    documented(
      tags,
      { body: AssistanceCreate, answer: AssistanceOut, status: 201, problems: [400, 401, 403, 422] },
      'Ask for quality technical assistance (enterprise members); the service officer is told',
    ),
    async (request, reply) => reply.code(201).send(await createRequest(deps(), request.actor, request.body)),
  );

  app.get(
    '/v1/assistance-requests',
    documented(
      tags,
      { querystring: AssistanceListQuery, answer: AssistanceList, problems: [400, 401] },
      "Requests the caller may see: their enterprise's, their enterprises' as officer, their region's as admin",
    ),
    async (request) => queries.listRequests(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/assistance-requests/:id',
    documented(
      tags,
      { params: IdParams, answer: AssistanceOut, problems: [400, 401, 404] },
      'One request with its visits',
    ),
    async (request) => queries.getRequest(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/assistance-requests/:id/assign',
    documented(
      tags,
      { params: IdParams, body: AssistanceAssign, answer: AssistanceOut, problems: [400, 401, 403, 404, 409, 422] },
      "Assign an expert (the enterprise's officer or a platform admin); open or assigned only",
    ),
    async (request) => handling.assignExpert(deps(), request.actor, request.params.id, request.body),
  );

  app.post(
    '/v1/assistance-requests/:id/visits',
    documented(
      tags,
      {
        params: IdParams,
        body: AssistanceVisitCreate,
        answer: AssistanceOut,
        problems: [400, 401, 403, 404, 409, 422],
      },
      'Record a visit with the problems found and solved (the officer or the assigned expert)',
    ),
    async (request) => handling.recordVisit(deps(), request.actor, request.params.id, request.body),
  );

  const transitions = [
    ['resolve', 'Mark the request resolved (officer, expert or admin); in progress only', handling.resolveRequest],
    ['close', 'The enterprise confirms a resolved request (or withdraws an open one)', handling.closeRequest],
  ] as const;
  for (const [verb, summary, run] of transitions) {
    app.post(
      `/v1/assistance-requests/:id/${verb}`,
      documented(tags, { params: IdParams, answer: AssistanceOut, problems: [400, 401, 403, 404, 409] }, summary),
      async (request) => run(deps(), request.actor, request.params.id),
    );
  }
};
