import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { IdParams } from '../../lib/schema.ts';
import {
  EnterpriseOfficerOut,
  OfficerAssign,
  OfficerEnterpriseList,
  OfficerRequestList,
  OfficerRequestQuery,
  RegionEnterpriseList,
  RegionEnterpriseQuery,
  ServiceOfficerList,
} from './schema.ts';
import * as officers from './service.ts';
import { listRegionEnterprises, listServiceOfficers } from './region-enterprises.ts';

/** Service officers (服务专员): assignment to enterprises and the officer’s view of their requests. */
export const officerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/enterprises/:id/officer',
    documented(
      ['officers'],
      { params: IdParams, answer: EnterpriseOfficerOut, problems: [400, 401, 404] },
      "The enterprise's service officer with contact details (its members, the officer, platform admins)",
    ),
    async (request) => officers.getEnterpriseOfficer(deps(), request.actor, request.params.id),
  );

  app.put(
    '/v1/enterprises/:id/officer',
    documented(
      ['officers'],
      { params: IdParams, body: OfficerAssign, answer: EnterpriseOfficerOut, problems: [400, 401, 403, 404, 422] },
      "Name the enterprise's service officer (platform admins over its region)",
    ),
    async (request) => officers.assignOfficer(deps(), request.actor, request.params.id, request.body),
  );

  app.delete(
    '/v1/enterprises/:id/officer',
    documented(
      ['officers'],
      { params: IdParams, answer: EnterpriseOfficerOut, problems: [400, 401, 403, 404] },
      "Remove the enterprise's service officer (platform admins over its region)",
    ),
    async (request) => officers.removeOfficer(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/admin/enterprises',
    documented(
      ['platform'],
      { querystring: RegionEnterpriseQuery, answer: RegionEnterpriseList, problems: [400, 401, 403, 404] },
      "The enterprises registered in the admin's region (or one below it): size, industry, region and named officer",
    ),
    async (request) => listRegionEnterprises(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/admin/service-officers',
    documented(
      ['platform'],
      { answer: ServiceOfficerList, problems: [401, 403] },
      "The service officers of the platforms in the admin's region, who may be named for its enterprises",
    ),
    async (request) => listServiceOfficers(deps(), request.actor),
  );

  app.get(
    '/v1/officer/enterprises',
    documented(
      ['officers'],
      { answer: OfficerEnterpriseList, problems: [401, 403] },
      'The enterprises the calling service officer looks after',
    ),
    async (request) => officers.myEnterprises(deps(), request.actor),
  );

  app.get(
    '/v1/officer/requests',
    documented(
      ['officers'],
      { querystring: OfficerRequestQuery, answer: OfficerRequestList, problems: [400, 401, 403] },
      "Assistance requests and orders of the calling officer's enterprises",
    ),
    async (request) => officers.officerRequests(deps(), request.actor, request.query),
  );
};
