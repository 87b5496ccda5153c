import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { IdParams, Page } from '../../lib/schema.ts';
import { LabIdParams } from '../instruments/index.ts';
import { ServiceCreate, ServiceDetail, ServicePatch, ServiceQuery, ServiceSummary } from './schema.ts';
import * as svc from './service.ts';

export const serviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/services',
    documented(
      ['catalogue'],
      { querystring: ServiceQuery, answer: Page(ServiceSummary), problems: [400] },
      'Search QI services of every kind',
    ),
    async (request) => svc.searchServiceCatalogue(deps(), request.query),
  );

  app.get(
    '/v1/services/:id',
    documented(
      ['catalogue'],
      { params: IdParams, answer: ServiceDetail, problems: [400, 404] },
      'One service with its instruments and the lab qualifications',
    ),
    async (request) => svc.getService(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/labs/:labId/services',
    documented(
      ['lab console'],
      { params: LabIdParams, body: ServiceCreate, answer: ServiceDetail, status: 201, problems: [400, 401, 403, 404] },
      'Publish a service (lab managers)',
    ),
    async (request, reply) =>
      reply
        .code(201)
        .send(await svc.createService(deps(), request.actor, request.params.labId, request.body, request.id)),
  );

  app.patch(
    '/v1/services/:id',
    documented(
      ['lab console'],
      { params: IdParams, body: ServicePatch, answer: ServiceDetail, problems: [400, 401, 403, 404, 409] },
      'Change a service (lab managers of its lab)',
    ),
    async (request) => svc.updateService(deps(), request.actor, request.params.id, request.body, request.id),
  );

  app.post(
    '/v1/services/:id/retire',
    documented(
      ['lab console'],
      { params: IdParams, answer: ServiceDetail, problems: [400, 401, 403, 404] },
      'Retire a service',
    ),
    async (request) => svc.retireService(deps(), request.actor, request.params.id, request.id),
  );
};
