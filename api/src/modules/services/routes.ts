import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, Page, problems } from '../../lib/schema.ts';
import { LabIdParams, SearchPage } from '../instruments/index.ts';
import { LabServiceQuery, ServiceCreate, ServiceDetail, ServicePatch, ServiceQuery, ServiceSummary } from './schema.ts';
import * as svc from './service.ts';

export const serviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/services',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Search QI services of every kind',
        querystring: ServiceQuery,
        response: { 200: SearchPage(ServiceSummary), ...problems(400) },
      },
    },
    async (request) => svc.searchServiceCatalogue(deps(), request.query),
  );

  app.get(
    '/v1/services/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'One service with its instruments and the lab qualifications',
        params: IdParams,
        response: { 200: ServiceDetail, ...problems(400, 404) },
      },
    },
    async (request) => svc.getService(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/labs/:labId/services',
    {
      schema: {
        tags: ['lab console'],
        summary: "The lab's own services, every status (lab members only)",
        params: LabIdParams,
        querystring: LabServiceQuery,
        response: { 200: Page(ServiceSummary), ...problems(400, 401, 403) },
      },
    },
    async (request) => svc.listLabServices(deps(), request.actor, request.params.labId, request.query),
  );

  app.post(
    '/v1/labs/:labId/services',
    {
      schema: {
        tags: ['lab console'],
        summary: 'Publish a service (lab managers)',
        params: LabIdParams,
        body: ServiceCreate,
        response: { 201: ServiceDetail, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await svc.createService(deps(), request.actor, request.params.labId, request.body, request.id)),
  );

  app.patch(
    '/v1/services/:id',
    {
      schema: {
        tags: ['lab console'],
        summary: 'Change a service (lab managers of its lab)',
        params: IdParams,
        body: ServicePatch,
        response: { 200: ServiceDetail, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => svc.updateService(deps(), request.actor, request.params.id, request.body, request.id),
  );

  app.post(
    '/v1/services/:id/retire',
    {
      schema: {
        tags: ['lab console'],
        summary: 'Retire a service',
        params: IdParams,
        response: { 200: ServiceDetail, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => svc.retireService(deps(), request.actor, request.params.id, request.id),
  );
};
