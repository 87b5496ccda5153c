import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { HolidayYearBody, HolidayYearOut, YearParams, YearQuery } from './schema.ts';
import { getHolidayYear, putHolidayYear } from './service.ts';

/** The national holiday calendar (法定节假日 and 调休) per year, kept by the province platform's admins. */
export const holidayRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/admin/holidays',
    documented(
      ['platform'],
      { querystring: YearQuery, answer: HolidayYearOut, problems: [400, 401, 403] },
      'A year’s public holidays and make-up working days as in force, and where they come from (platform admins)',
    ),
    async (request) => getHolidayYear(deps(), request.actor, request.query.year),
  );

  app.put(
    '/v1/admin/holidays/:year',
    documented(
      ['platform'],
      { params: YearParams, body: HolidayYearBody, answer: HolidayYearOut, problems: [400, 401, 403] },
      'Enter or correct a year from the State Council’s notice (province platform admins; audited); availability and due dates computed from now on follow it',
    ),
    async (request) => putHolidayYear(deps(), request.actor, request.params.year, request.body, request.id),
  );
};
