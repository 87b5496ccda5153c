import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, Page, problems } from '../../lib/schema.ts';
import {
  InstrumentCreate,
  InstrumentDetail,
  InstrumentPatch,
  InstrumentQuery,
  InstrumentSummary,
  LabIdParams,
  LabInstrumentQuery,
  SearchPage,
} from './schema.ts';
import * as instruments from './service.ts';

export const instrumentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/instruments',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Search the instrument catalogue',
        querystring: InstrumentQuery,
        response: { 200: SearchPage(InstrumentSummary), ...problems(400) },
      },
    },
    async (request) => instruments.searchCatalogue(deps(), request.query),
  );

  app.get(
    '/v1/instruments/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'One instrument with specs, rates, lab qualifications and services',
        params: IdParams,
        response: { 200: InstrumentDetail, ...problems(400, 404) },
      },
    },
    async (request) => instruments.getInstrument(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/labs/:labId/instruments',
    {
      schema: {
        tags: ['lab console'],
        summary: "The lab's own instruments, every status (lab members only)",
        params: LabIdParams,
        querystring: LabInstrumentQuery,
        response: { 200: Page(InstrumentSummary), ...problems(400, 401, 403) },
      },
    },
    async (request) => instruments.listLabInstruments(deps(), request.actor, request.params.labId, request.query),
  );

  app.post(
    '/v1/labs/:labId/instruments',
    {
      schema: {
        tags: ['lab console'],
        summary: 'List a new instrument (lab managers)',
        params: LabIdParams,
        body: InstrumentCreate,
        response: { 201: InstrumentDetail, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const created = await instruments.createInstrument(
        deps(),
        request.actor,
        request.params.labId,
        request.body,
        request.id,
      );
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/v1/instruments/:id',
    {
      schema: {
        tags: ['lab console'],
        summary: 'Change an instrument (lab managers of its lab)',
        params: IdParams,
        body: InstrumentPatch,
        response: { 200: InstrumentDetail, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => instruments.updateInstrument(deps(), request.actor, request.params.id, request.body, request.id),
  );

  app.post(
    '/v1/instruments/:id/retire',
    {
      schema: {
        tags: ['lab console'],
        summary: 'Retire an instrument: it leaves the catalogue, its history stays',
        params: IdParams,
        response: { 200: InstrumentDetail, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => instruments.retireInstrument(deps(), request.actor, request.params.id, request.id),
  );
};
