import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DateTime, IdParams, ListQuery, Nullable, Page, problems, Uuid } from '../../lib/schema.ts';
import * as inbox from './service.ts';

const NotificationOut = Type.Object({
  id: Uuid,
  kind: Type.String(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  bodyZh: Type.String(),
  bodyEn: Type.String(),
  link: Nullable(Type.String()),
  createdAt: DateTime,
  readAt: Nullable(DateTime),
});

/** The in-app inbox the job handlers write to. */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/notifications',
    {
      schema: {
        tags: ['inbox'],
        summary: "The caller's notifications, newest first",
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), ...ListQuery }),
        response: { 200: Page(NotificationOut), ...problems(400, 401, 403) },
      },
    },
    async (request) => inbox.listInbox(deps(), request.actor, request.query),
  );

  app.post(
    '/v1/notifications/:id/read',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Mark a notification read (repeating it changes nothing)',
        params: IdParams,
        response: { 200: NotificationOut, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => inbox.markRead(deps(), request.actor, request.params.id),
  );
};
