import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, Nullable, problems, Uuid } from '../../lib/schema.ts';
import { BookingOut } from './schema.ts';
import { bookingContact, reassignOperator } from './operator.ts';

const BookingContact = Type.Object(
  {
    booker: Type.Object({ displayName: Type.String(), email: Type.String(), phone: Nullable(Type.String()) }),
    customer: Type.Object({
      nameZh: Type.String(),
      nameEn: Type.String(),
      phone: Nullable(Type.String()),
      email: Nullable(Type.String()),
    }),
    operator: Nullable(Type.Object({ id: Uuid, displayName: Type.String() })),
  },
  { $id: 'BookingContact', additionalProperties: false },
);

/** The lab's side of one booking: who to call about it, and who operates it. */
export const bookingOperatorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });
  const tags = ['bookings'];

  app.get(
    '/v1/bookings/:id/contact',
    {
      schema: {
        tags,
        summary: 'The booker and the customer organisation with phone and e-mail (the booking’s lab only)',
        params: IdParams,
        response: { 200: BookingContact, ...problems(400, 401, 404) },
      },
    },
    async (request) => bookingContact(deps(), request.actor, request.params.id),
  );

  app.put(
    '/v1/bookings/:id/operator',
    {
      schema: {
        tags,
        summary:
          'Hand an assisted booking to another operator of the lab (managers and staff; audited, operator notified)',
        params: IdParams,
        body: Type.Object({ operatorId: Uuid }, { additionalProperties: false }),
        response: { 200: BookingOut, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => reassignOperator(deps(), request.actor, request.params.id, request.body.operatorId),
  );
};
