import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { documented } from '../../lib/route.ts';
import { IdParams, problems } from '../../lib/schema.ts';
import { recordIssued, rejectRequest } from './decisions.ts';
import { exportRequests } from './export.ts';
import { listCustomerRequests, listLabRequests } from './queries.ts';
import { requestFapiao } from './requests.ts';
import {
  CustomerRequestQuery,
  ExportQuery,
  FapiaoIssuedIn,
  FapiaoRejectIn,
  FapiaoRequestIn,
  FapiaoRequestList,
  FapiaoRequestOut,
  FapiaoTitleIn,
  FapiaoTitleOut,
  LabIdParams,
  LabRequestParams,
  LabRequestQuery,
  OrgIdParams,
} from './schema.ts';
import { getTitle, putTitle } from './title.ts';

const TAX_SYSTEM =
  'QIHub does not connect to the tax system (税务系统): the lab issues the fapiao there and records its number and date here.';

/**
 * Fapiao (发票): the customer's invoice title, its requests on paid invoices, and the lab's record
 * of what it issued in the tax system — which QIHub never talks to.
 */
export const fapiaoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/orgs/:orgId/fapiao-title',
    documented(
      ['money'],
      { params: OrgIdParams, answer: FapiaoTitleOut, problems: [400, 401, 404] },
      'The organisation’s invoice title (发票抬头); before one is saved, a draft from its registered name and credit code',
    ),
    async (request) => getTitle(deps(), request.actor, request.params.orgId),
  );

  app.put(
    '/v1/orgs/:orgId/fapiao-title',
    documented(
      ['money'],
      { params: OrgIdParams, body: FapiaoTitleIn, answer: FapiaoTitleOut, problems: [400, 401, 403, 404, 422] },
      'Save the invoice title (owners and managers): the taxpayer number is the unified social credit code (check character verified); 专用 needs every field, 普通 the name and number',
    ),
    async (request) => putTitle(deps(), request.actor, request.params.orgId, request.body),
  );

  app.post(
    '/v1/invoices/:id/fapiao-request',
    documented(
      ['money'],
      {
        params: IdParams,
        body: FapiaoRequestIn,
        answer: FapiaoRequestOut,
        status: 201,
        problems: [400, 401, 403, 404, 409, 422],
      },
      `Ask the lab for a fapiao on a paid invoice, once (again only after a rejection); the title is copied as it is now. ${TAX_SYSTEM}`,
    ),
    async (request, reply) => {
      reply.code(201);
      return requestFapiao(deps(), request.actor, request.params.id, request.body);
    },
  );

  app.get(
    '/v1/fapiao-requests',
    documented(
      ['money'],
      { querystring: CustomerRequestQuery, answer: FapiaoRequestList, problems: [400, 401] },
      'The fapiao requests of the caller’s organisations, newest first',
    ),
    async (request) => listCustomerRequests(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/labs/:labId/fapiao-requests',
    documented(
      ['money'],
      { params: LabIdParams, querystring: LabRequestQuery, answer: FapiaoRequestList, problems: [400, 401, 403, 404] },
      'The lab’s fapiao requests (managers and staff), newest first',
    ),
    async (request) => listLabRequests(deps(), request.actor, request.params.labId, request.query),
  );

  app.get(
    '/v1/labs/:labId/fapiao-requests.xlsx',
    {
      schema: {
        tags: ['money'],
        summary: `The lab’s fapiao requests (pending unless told) as an XLSX to import into its tax software, one row per request. ${TAX_SYSTEM}`,
        params: LabIdParams,
        querystring: ExportQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: {
          200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await exportRequests(deps(), request.actor, request.params.labId, request.query.status);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-content-sha256', file.sha256)
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
    },
  );

  app.post(
    '/v1/labs/:labId/fapiao-requests/:id/issued',
    documented(
      ['money'],
      {
        params: LabRequestParams,
        body: FapiaoIssuedIn,
        answer: FapiaoRequestOut,
        problems: [400, 401, 403, 404, 409, 422],
      },
      `Record the fapiao the lab issued: its number (20 digits 全电, or 8) and date. ${TAX_SYSTEM}`,
    ),
    async (request) => recordIssued(deps(), request.actor, request.params.labId, request.params.id, request.body),
  );

  app.post(
    '/v1/labs/:labId/fapiao-requests/:id/reject',
    documented(
      ['money'],
      {
        params: LabRequestParams,
        body: FapiaoRejectIn,
        answer: FapiaoRequestOut,
        problems: [400, 401, 403, 404, 409, 422],
      },
      'Return a fapiao request with a reason; the customer may correct its title and ask again',
    ),
    async (request) =>
      rejectRequest(deps(), request.actor, request.params.labId, request.params.id, request.body.reason),
  );
};
