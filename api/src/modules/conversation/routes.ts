import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../../lib/errors.ts';
import { refuseStrangers } from '../../plugins/auth.ts';
import { documented } from '../../lib/route.ts';
import { IdParams, problems } from '../../lib/schema.ts';
import { contentDisposition } from './files.ts';
import * as ratings from './ratings.ts';
import {
  AttachmentParams,
  LabOrderRatings,
  LabOrderRatingsQuery,
  LabRatings,
  LabRatingsQuery,
  MessageCreate,
  MessageList,
  MessageListQuery,
  MessageOut,
  OrderRating,
  RatingCreate,
  RatingOut,
  RatingReply,
} from './schema.ts';
import * as conversation from './service.ts';
import { MAX_BODY_CHARS, receiveUpload } from './upload.ts';

/** The upload form in the OpenAPI document; the route reads the parts itself (streamed, checked). */
const UploadForm = Type.Union([
  Type.Object({
    file: Type.String({ format: 'binary', description: 'PDF, PNG, JPEG, WebP, TXT, CSV, XLSX or DOCX' }),
    body: Type.Optional(Type.String({ maxLength: MAX_BODY_CHARS, description: 'Optional message text' })),
  }),
  Type.Null(),
]);

const FileResponse = {
  description: 'The stored file, as an attachment download',
  content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } },
};

/** Messages and attachments on an order between customer and lab; ratings after closing. */
export const conversationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = app.ctx.config;
  // Encapsulated in this plugin: other modules register their own multipart parser if they need one.
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 4, parts: 6, fieldSize: 64 * 1024 },
  });

  const deps = () => ({
    db: app.ctx.db,
    clock: app.ctx.clock,
    filesDir: config.filesDir,
    uploadMaxBytes: config.uploadMaxBytes,
  });

  app.get(
    '/v1/orders/:id/messages',
    {
      onRequest: refuseStrangers,
      schema: {
        tags: ['conversation'],
        summary: "The order's conversation, a page at a time; only the customer and the lab (404 to anyone else)",
        description:
          'The first page holds the newest `limit` messages (default 20, at most 100), oldest first as ' +
          'they read; `nextCursor` leads to the page of earlier messages, null on the page with the first one.',
        params: IdParams,
        querystring: MessageListQuery,
        response: { 200: MessageList, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'private, no-store')
        .send(await conversation.listMessages(deps(), request.actor, request.params.id, request.query)),
  );

  app.post(
    '/v1/orders/:id/messages',
    {
      onRequest: refuseStrangers,
      ...documented(
        ['conversation'],
        { params: IdParams, body: MessageCreate, answer: MessageOut, status: 201, problems: [400, 401, 403, 404, 409] },
        'Write to the other party of the order (customer ↔ lab); the other side is notified',
      ),
    },
    async (request, reply) =>
      reply.code(201).send(await conversation.postMessage(deps(), request.actor, request.params.id, request.body)),
  );

  app.post(
    '/v1/orders/:id/attachments',
    {
      onRequest: refuseStrangers,
      schema: {
        tags: ['conversation'],
        summary: 'Attach one file (multipart/form-data: "file", optional "body") as a new message',
        description:
          'The file type is checked by name, declared type and content. Larger than UPLOAD_MAX_BYTES → 413 ' +
          '`file_too_large`; another type → 415 `unsupported_file_type`. Refusals store nothing.',
        params: IdParams,
        body: { content: { 'multipart/form-data': { schema: UploadForm } } },
        response: { 201: MessageOut, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const d = deps();
      // Refuse strangers and read-only callers before reading the upload.
      await conversation.assertMayUpload(d, request.actor, request.params.id);
      const upload = await receiveUpload(request, { filesDir: d.filesDir, maxBytes: d.uploadMaxBytes });
      const { tempPath, body, ...attachment } = upload;
      const message = await conversation.postAttachment(d, request.actor, request.params.id, {
        body,
        tempPath,
        attachment,
      });
      return reply.code(201).send(message);
    },
  );

  app.get(
    '/v1/orders/:id/attachments/:attachmentId',
    {
      onRequest: refuseStrangers,
      ...documented(
        ['conversation'],
        { params: AttachmentParams, answer: FileResponse, problems: [400, 401, 404] },
        'Download an attachment (the customer and the lab only)',
      ),
    },
    async (request, reply) => {
      const { row, full } = await conversation.attachmentFile(
        deps(),
        request.actor,
        request.params.id,
        request.params.attachmentId,
      );
      let size: number;
      try {
        size = (await stat(full)).size;
      } catch {
        request.log.error({ attachmentId: row.id }, 'attachment file missing on disk');
        throw notFound('attachment');
      }
      return (
        reply
          .type(row.contentType)
          .header('content-length', size)
          .header('content-disposition', contentDisposition(row.fileName))
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          // A stream is sent as it is (no serialisation); the schema only documents the download.
          .send(createReadStream(full) as unknown as string)
      );
    },
  );

  app.get(
    '/v1/orders/:id/rating',
    {
      onRequest: refuseStrangers,
      ...documented(
        ['conversation'],
        { params: IdParams, answer: OrderRating, problems: [400, 401, 404] },
        "The order's rating and the lab's reply, if any; whether the caller may rate or reply",
      ),
    },
    async (request) => ratings.getRating(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/orders/:id/rating',
    {
      onRequest: refuseStrangers,
      ...documented(
        ['conversation'],
        { params: IdParams, body: RatingCreate, answer: RatingOut, status: 201, problems: [400, 401, 403, 404, 409] },
        'Rate a closed order, once (the customer); the lab is notified',
      ),
    },
    async (request, reply) =>
      reply.code(201).send(await ratings.rateOrder(deps(), request.actor, request.params.id, request.body)),
  );

  app.post(
    '/v1/orders/:id/rating/reply',
    {
      onRequest: refuseStrangers,
      ...documented(
        ['conversation'],
        { params: IdParams, body: RatingReply, answer: RatingOut, problems: [400, 401, 403, 404, 409] },
        "Answer the customer's rating, once (the lab's managers and staff)",
      ),
    },
    async (request) => ratings.replyToRating(deps(), request.actor, request.params.id, request.body),
  );

  app.get(
    '/v1/labs/:id/ratings',
    documented(
      ['conversation'],
      { params: IdParams, querystring: LabRatingsQuery, answer: LabRatings, problems: [400, 404] },
      "A lab's ratings: average, count, recent comments and replies (public; customers masked)",
    ),
    async (request) => ratings.labRatings(deps(), request.params.id, request.query),
  );

  app.get(
    '/v1/labs/:id/order-ratings',
    documented(
      ['conversation'],
      { params: IdParams, querystring: LabOrderRatingsQuery, answer: LabOrderRatings, problems: [400, 401, 403] },
      "The lab's ratings with their orders and customers, newest first; `unanswered` for those awaiting a reply (members of the lab)",
    ),
    async (request) => ratings.labOrderRatings(deps(), request.actor, request.params.id, request.query),
  );
};
