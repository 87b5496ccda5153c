import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, problems } from '../../lib/schema.ts';
import { Today } from './schema.ts';
import { labToday } from './today.ts';

/** The lab console's first page: what needs doing today, for the signed-in member. */
export const todayRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/labs/:id/today',
    {
      schema: {
        tags: ['lab console'],
        summary: 'What needs doing today at the lab: counts and first rows of each queue, for one of its members',
        description:
          'Bookings to approve, check-ins and check-outs of today (China time), orders to quote, samples ' +
          'expected, reports to review and to sign, orders due by the end of the next working day and ' +
          'overdue, and for managers and staff bank lines to match and overdue invoices. Another lab: 404.',
        params: IdParams,
        response: { 200: Today, ...problems(400, 401, 404) },
      },
    },
    async (request) => labToday({ db: app.ctx.db, clock: app.ctx.clock }, request.actor, request.params.id),
  );
};
