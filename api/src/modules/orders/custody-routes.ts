import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { refuseStrangers } from '../../plugins/auth.ts';
import { documented } from '../../lib/route.ts';
import { IdParams } from '../../lib/schema.ts';
import { orderCustody, recordCustody } from './custody.ts';
import { CustodyEntryCreate, OrderCustodyOut } from './custody-schema.ts';
import { OrderSampleParams } from './schema.ts';

/** Sample custody (样品流转): the log of every handover of an order's samples. */
export const custodyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });
  app.addHook('onRequest', refuseStrangers);

  app.get(
    '/v1/orders/:id/custody',
    documented(
      ['orders'],
      { params: IdParams, answer: OrderCustodyOut, problems: [400, 401, 404] },
      "The order's sample custody log and each sample's state and place (everyone who may read the order)",
    ),
    async (request) => orderCustody(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/orders/:id/samples/:sampleId/custody',
    documented(
      ['orders'],
      {
        params: OrderSampleParams,
        body: CustodyEntryCreate,
        answer: OrderCustodyOut,
        status: 201,
        problems: [400, 401, 403, 404, 409],
      },
      'Record a handover of a sample: stored, taken for testing, back, returned (after the objection window) or disposed (lab)',
    ),
    async (request, reply) => {
      const custody = await recordCustody(
        deps(),
        request.actor,
        request.params.id,
        request.params.sampleId,
        request.body,
      );
      return reply.code(201).send(custody);
    },
  );
};
