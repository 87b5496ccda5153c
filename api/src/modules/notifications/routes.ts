import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TBoolean } from 'typebox';
import { DateTime, IdParams, ListQuery, Nullable, Page, problems, Uuid } from '../../lib/schema.ts';
import { NOTICE_CATEGORIES, type NoticeCategory } from './categories.ts';
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

const EmailChoices = Type.Object(
  Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, Type.Boolean()])) as Record<NoticeCategory, TBoolean>,
  { additionalProperties: false, description: 'Per category of notice: also send it by e-mail' },
);
const Preferences = Type.Object({ email: EmailChoices }, { additionalProperties: false });

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

  app.get(
    '/v1/notifications/unread-count',
    {
      schema: {
        tags: ['inbox'],
        summary: "How many of the caller's notifications are unread",
        response: { 200: Type.Object({ unread: Type.Integer() }), ...problems(401, 403) },
      },
    },
    async (request) => inbox.unreadCount(deps(), request.actor),
  );

  app.post(
    '/v1/notifications/read-all',
    {
      schema: {
        tags: ['inbox'],
        summary: "Mark every one of the caller's notifications read",
        response: { 200: Type.Object({ marked: Type.Integer(), unread: Type.Integer() }), ...problems(401, 403) },
      },
    },
    async (request) => inbox.markAllRead(deps(), request.actor),
  );

  app.get(
    '/v1/me/notification-preferences',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Which categories of notice also reach the caller by e-mail',
        response: { 200: Preferences, ...problems(401, 403) },
      },
    },
    async (request) => inbox.emailPreferences(deps(), request.actor),
  );

  app.put(
    '/v1/me/notification-preferences',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Choose which categories of notice also reach the caller by e-mail (the inbox gets them all)',
        body: Preferences,
        response: { 200: Preferences, ...problems(400, 401, 403) },
      },
    },
    async (request) => inbox.setEmailPreferences(deps(), request.actor, request.body),
  );
};
