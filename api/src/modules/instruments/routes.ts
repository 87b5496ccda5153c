import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { IdParams, Page } from '../../lib/schema.ts';
import {
  InstrumentCreate,
  InstrumentDetail,
  InstrumentPatch,
  InstrumentQuery,
  InstrumentSummary,
  LabIdParams,
  LabInstrumentQuery,
} from './schema.ts';
import * as instruments from './service.ts';

export const instrumentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/instruments',
    documented(
      ['catalogue'],
      { querystring: InstrumentQuery, answer: Page(InstrumentSummary), problems: [400] },
      'Search the instrument catalogue',
    ),
    async (request) => instruments.searchCatalogue(deps(), request.query),
  );

  app.get(
    '/v1/instruments/:id',
    documented(
      ['catalogue'],
      { params: IdParams, answer: InstrumentDetail, problems: [400, 404] },
      'One instrument with specs, rates, lab qualifications and services',
    ),
    async (request) => instruments.getInstrument(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/labs/:labId/instruments',
    documented(
      ['lab console'],
      {
        params: LabIdParams,
        querystring: LabInstrumentQuery,
        answer: Page(InstrumentSummary),
        problems: [400, 401, 403],
      },
      "The lab's own instruments, every status (lab members only)",
    ),
    async (request) => instruments.listLabInstruments(deps(), request.actor, request.params.labId, request.query),
  );

  app.post(
    '/v1/labs/:labId/instruments',
    documented(
      ['lab console'],
      {
        params: LabIdParams,
        body: InstrumentCreate,
        answer: InstrumentDetail,
        status: 201,
        problems: [400, 401, 403, 404],
      },
      'List a new instrument (lab managers)',
    ),
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
    documented(
      ['lab console'],
      { params: IdParams, body: InstrumentPatch, answer: InstrumentDetail, problems: [400, 401, 403, 404, 409] },
      'Change an instrument (lab managers of its lab)',
    ),
    async (request) => instruments.updateInstrument(deps(), request.actor, request.params.id, request.body, request.id),
  );

  app.post(
    '/v1/instruments/:id/retire',
    documented(
      ['lab console'],
      { params: IdParams, answer: InstrumentDetail, problems: [400, 401, 403, 404] },
      'Retire an instrument: it leaves the catalogue, its history stays',
    ),
    async (request) => instruments.retireInstrument(deps(), request.actor, request.params.id, request.id),
  );
};
