import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { efficiency, figureOrders } from './evaluation.ts';
import {
  EfficiencyOut,
  EfficiencyQuery,
  FigureOrdersOut,
  FigureOrdersQuery,
  UtilisationOut,
  UtilisationQuery,
} from './schema.ts';
import { utilisation } from './utilisation.ts';

/** 效能评价 and instrument utilisation for the platform admins of a region. */
export const efficiencyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db });

  app.get(
    '/v1/admin/efficiency',
    documented(
      ['platform'],
      { querystring: EfficiencyQuery, answer: EfficiencyOut, problems: [400, 401, 403, 404] },
      'Efficiency evaluation of the labs of a region over from..to (inclusive, Asia/Shanghai): response time, turnaround in working days, on-time, re-test, upheld-objection and cancellation rates, rating — overall, per lab, service kind or sub-region, and the worst labs',
    ),
    async (request) => efficiency(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/admin/efficiency/orders',
    documented(
      ['platform'],
      { querystring: FigureOrdersQuery, answer: FigureOrdersOut, problems: [400, 401, 403, 404] },
      'The orders behind one efficiency figure (optionally of one lab, service kind or sub-region), the worst first',
    ),
    async (request) => figureOrders(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/admin/utilisation',
    documented(
      ['platform'],
      { querystring: UtilisationQuery, answer: UtilisationOut, problems: [400, 401, 403, 404] },
      'Instrument utilisation of a region in a year, as the open-sharing review counts it: effective and external-service machine hours, sharing ratio, per instrument and lab; instruments nobody booked',
    ),
    async (request) => utilisation(deps(), request.actor, request.query),
  );
};
