import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { documented } from '../../lib/route.ts';
import { problems } from '../../lib/schema.ts';
import { refuseStrangers } from '../../plugins/auth.ts';
import { receiveUpload } from '../conversation/index.ts';
import { CERTIFICATE_MAX_BYTES, QualificationOut, QualificationParams } from '../labs/index.ts';
import { assertMayAttachScan, attachQualificationScan, qualificationScan } from './scans.ts';
import { ScanDownload, sendScan } from './download.ts';

const ScanUpload = Type.Union([
  Type.Object({ file: Type.String({ format: 'binary', description: 'PDF, JPEG or PNG, at most 10 MiB' }) }),
  Type.Null(),
]);

/** The scan of a certificate kept in the lab console: upload (and replace), download. */
export const qualificationScanRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock, filesDir: app.ctx.config.filesDir });
  // Encapsulated in this plugin (as the admission's): one file per request, at most 10 MiB.
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: CERTIFICATE_MAX_BYTES, files: 1, fields: 2, parts: 3, fieldSize: 1024 },
  });

  app.post(
    '/v1/labs/:id/qualifications/:qualificationId/file',
    {
      onRequest: refuseStrangers,
      schema: {
        tags: ['lab console'],
        summary:
          'Upload the certificate\'s scan, replacing an earlier one (multipart/form-data: "file"; managers; audited)',
        description:
          'PDF, JPEG or PNG, checked by name, declared type and content; at most 10 MiB (413 `file_too_large`), ' +
          'another type 415 `unsupported_file_type`; a withdrawn certificate 409 `qualification_withdrawn`. ' +
          'Refusals store nothing.',
        params: QualificationParams,
        body: { content: { 'multipart/form-data': { schema: ScanUpload } } },
        response: { 200: QualificationOut, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const d = deps();
      const { id, qualificationId } = request.params;
      // Refuse strangers and withdrawn certificates before reading the upload.
      await assertMayAttachScan(d, request.actor, id, qualificationId);
      const upload = await receiveUpload(request, { filesDir: d.filesDir, maxBytes: CERTIFICATE_MAX_BYTES });
      return attachQualificationScan(d, request.actor, id, qualificationId, upload, request.id);
    },
  );

  app.get(
    '/v1/labs/:id/qualifications/:qualificationId/file',
    {
      onRequest: refuseStrangers,
      ...documented(
        ['lab console'],
        { params: QualificationParams, answer: ScanDownload, problems: [400, 401, 404] },
        "Download the certificate's scan (the lab's members and the platform admins and officers of its region; " +
          '404 to anyone else)',
      ),
    },
    async (request, reply) =>
      sendScan(
        request,
        reply,
        await qualificationScan(deps(), request.actor, request.params.id, request.params.qualificationId),
      ),
  );
};
