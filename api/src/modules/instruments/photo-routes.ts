import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../../lib/errors.ts';
import { IdParams, problems, Uuid } from '../../lib/schema.ts';
import { refuseStrangers } from '../../plugins/auth.ts';
import { receiveUpload } from '../conversation/index.ts';
import { PHOTO_MAX_BYTES } from './photo-files.ts';
import { assertMayChangePhoto, photoVariantFile, removeInstrumentPhoto, setInstrumentPhoto } from './photos.ts';
import { InstrumentDetail } from './schema.ts';
import { getInstrument } from './service.ts';

const PhotoUpload = Type.Union([
  Type.Object({ file: Type.String({ format: 'binary', description: 'JPEG, PNG or WebP, at most 10 MiB' }) }),
  Type.Null(),
]);
const PhotoFileParams = Type.Object({
  id: Uuid,
  file: Type.String({ pattern: '^[0-9a-f]{16}-w[0-9]{2,4}\\.webp$', description: 'e.g. 3f2a9c0d1e4b5a6f-w320.webp' }),
});
/** A year, and never revalidated: the URL names the content. */
const FOREVER = 'public, max-age=31536000, immutable';
/** A retired instrument's photo, for its lab's members only: no shared cache keeps it. */
const MEMBERS_ONLY = 'private, no-cache';

/** An instrument's photo: upload or replace, remove (the lab's managers), and its public files. */
export const instrumentPhotoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock, filesDir: app.ctx.config.filesDir });
  // Encapsulated in this plugin (as the certificate scans'): one file per request, at most 10 MiB.
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 2, parts: 3, fieldSize: 1024 },
  });

  app.put(
    '/v1/instruments/:id/photo',
    {
      onRequest: refuseStrangers,
      schema: {
        tags: ['lab console'],
        summary: 'Upload the instrument\'s photo, replacing an earlier one (multipart/form-data: "file"; managers)',
        description:
          'JPEG, PNG or WebP, told by its content; at most 10 MiB (413 `file_too_large`) and 50 million pixels ' +
          '(422 `image_too_large`); anything else 415 `unsupported_file_type`. Stored as WebP 320 and 960 px ' +
          'wide, upright, without metadata. Refusals store nothing; a replaced photo leaves the disk.',
        params: IdParams,
        body: { content: { 'multipart/form-data': { schema: PhotoUpload } } },
        response: { 200: InstrumentDetail, ...problems(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request) => {
      const d = deps();
      const { id } = request.params;
      // Strangers and retired instruments are refused before the upload is read.
      await assertMayChangePhoto(d, request.actor, id);
      const upload = await receiveUpload(request, { filesDir: d.filesDir, maxBytes: PHOTO_MAX_BYTES });
      await setInstrumentPhoto(d, request.actor, id, upload, request.id);
      return getInstrument(d, request.actor, id);
    },
  );

  app.delete(
    '/v1/instruments/:id/photo',
    {
      onRequest: refuseStrangers,
      schema: {
        tags: ['lab console'],
        summary: "Remove the instrument's photo: the category's illustration is shown again (managers)",
        params: IdParams,
        response: { 200: InstrumentDetail, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const d = deps();
      await removeInstrumentPhoto(d, request.actor, request.params.id, request.id);
      return getInstrument(d, request.actor, request.params.id);
    },
  );

  app.get(
    '/v1/instruments/:id/photos/:file',
    {
      schema: {
        tags: ['catalogue'],
        summary: "A size of the instrument's photo (WebP; public, cached for a year under its content's name)",
        description:
          "A retired instrument's photo is served to its lab's members only (`private, no-cache`); 404 to anyone else.",
        params: PhotoFileParams,
        produces: ['image/webp'],
        response: {
          200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }),
          304: Type.Null({ description: 'Not modified (If-None-Match)' }),
          ...problems(400, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await photoVariantFile(deps(), request.actor, request.params.id, request.params.file);
      let size: number;
      try {
        size = (await stat(file.full)).size;
      } catch {
        request.log.error({ file: file.full }, 'instrument photo missing on disk');
        throw notFound('photo');
      }
      reply
        .header('cache-control', file.isPublic ? FOREVER : MEMBERS_ONLY)
        .header('etag', file.etag)
        .header('x-content-type-options', 'nosniff');
      const match = request.headers['if-none-match'];
      if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag)) {
        return reply.code(304).send(null);
      }
      return reply
        .type('image/webp')
        .header('content-length', size)
        .send(createReadStream(file.full) as unknown as Uint8Array);
    },
  );
};
