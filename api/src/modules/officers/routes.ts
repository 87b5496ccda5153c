import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { IdParams } from '../../lib/schema.ts';
import {
  EnterpriseOfficerOut,
  OfficerAssign,
  OfficerEnterpriseList,
  OfficerRequestList,
  OfficerRequestQuery,
} from './schema.ts';
import * as officers from './service.ts';

/** Service officers (服务专员): assignment to enterprises and the officer’s view of their requests. */
export const officerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/enterprises/:id/officer',
    documented(
      ['officers'],
      "The enterprise's service officer with contact details (its members, the officer, platform admins)",
      {
        params: IdParams,
        answer: EnterpriseOfficerOut,
        problems: [400, 401, 404],
      },
    ),
    async (request) => officers.getEnterpriseOfficer(deps(), request.actor, request.params.id),
  );

  app.put(
    '/v1/enterprises/:id/officer',
    documented(['officers'], "Name the enterprise's service officer (platform admins over its region)", {
      params: IdParams,
      body: OfficerAssign,
      answer: EnterpriseOfficerOut,
      problems: [400, 401, 403, 404, 422],
    }),
    async (request) => officers.assignOfficer(deps(), request.actor, request.params.id, request.body),
  );

  app.delete(
    '/v1/enterprises/:id/officer',
    documented(['officers'], "Remove the enterprise's service officer (platform admins over its region)", {
      params: IdParams,
      answer: EnterpriseOfficerOut,
      problems: [400, 401, 403, 404],
    }),
    async (request) => officers.removeOfficer(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/officer/enterprises',
    documented(['officers'], 'The enterprises the calling service officer looks after', {
      answer: OfficerEnterpriseList,
      problems: [401, 403],
    }),
    async (request) => officers.myEnterprises(deps(), request.actor),
  );

  app.get(
    '/v1/officer/requests',
    documented(['officers'], "Assistance requests and orders of the calling officer's enterprises", {
      querystring: OfficerRequestQuery,
      answer: OfficerRequestList,
      problems: [400, 401, 403],
    }),
    async (request) => officers.officerRequests(deps(), request.actor, request.query),
  );
};
