import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, problems } from '../../lib/schema.ts';
import { LabIdParams } from '../instruments/index.ts';
import { checkinCandidates } from './candidates.ts';
import { checkinLabels } from './labels.ts';
import { CheckinCandidates, CheckinLabels, CheckinQuery, LabelsQuery } from './schema.ts';

/** Check-in at the instrument: the page a label's QR code opens, and the labels to print. */
export const checkinRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['bookings'];

  app.get(
    '/v1/instruments/:id/checkin-candidates',
    {
      schema: {
        tags,
        summary:
          'What the signed-in person may check in or out at this instrument now (their own bookings; the lab: all)',
        params: IdParams,
        querystring: CheckinQuery,
        response: { 200: CheckinCandidates, ...problems(400, 401, 404) },
      },
    },
    async (request) =>
      checkinCandidates({ db: app.ctx.db, clock: app.ctx.clock }, request.actor, request.params.id, request.query.unit),
  );

  app.get(
    '/v1/labs/:labId/checkin-labels',
    {
      schema: {
        tags: ['lab console'],
        summary: 'Printable QR check-in labels of the lab’s instruments, one per unit (lab members only)',
        params: LabIdParams,
        querystring: LabelsQuery,
        response: { 200: CheckinLabels, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      checkinLabels(
        { db: app.ctx.db, webUrl: app.ctx.config.publicWebUrl },
        request.actor,
        request.params.labId,
        request.query.instrumentId,
      ),
  );
};
