import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { documented } from '../../lib/route.ts';
import { IdParams, problems } from '../../lib/schema.ts';
import { refuseStrangers } from '../../plugins/auth.ts';
import { receiveUpload } from '../conversation/index.ts';
import { CERTIFICATE_MAX_BYTES } from '../labs/index.ts';
import { ScanDownload, sendScan } from '../qualification-scans/index.ts';
import { renderCommissionPdf } from './pdf.ts';
import {
  assertMayAttachScan,
  attachCommissionScan,
  commissionFormDocument,
  commissionFormState,
  commissionScanFile,
} from './scan.ts';
import { CommissionFormOut, ScanUpload } from './schema.ts';

const tags = ['orders'];

/** The commission form (委托单) as a document: state, printable PDF, and the signed scan (upload, download). */
export const commissionFormRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock, filesDir: app.ctx.config.filesDir });
  // Encapsulated in this plugin (as the certificate scans'): one file per request, at most 10 MiB.
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: CERTIFICATE_MAX_BYTES, files: 1, fields: 2, parts: 3, fieldSize: 1024 },
  });

  app.get(
    '/v1/orders/:id/commission-form',
    {
      onRequest: refuseStrangers,
      ...documented(
        tags,
        { params: IdParams, answer: CommissionFormOut, problems: [400, 401, 403, 404] },
        "Where the order's commission form stands: printable (once the quote is accepted) and the signed scan, if attached (the customer and the lab)",
      ),
    },
    async (request) => commissionFormState(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/orders/:id/commission-form/pdf',
    {
      onRequest: refuseStrangers,
      schema: {
        tags,
        summary:
          'The commission form (检验检测委托单) as PDF, to print, sign and stamp: both parties, the agreed tests, the form the customer filled in, turnaround and fees (the customer and the lab); 409 commission_form_missing before acceptance',
        params: IdParams,
        produces: ['application/pdf'],
        response: {
          200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }),
          ...problems(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const document = await commissionFormDocument(deps(), request.actor, request.params.id);
      const bytes = await renderCommissionPdf(document);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="commission-${document.orderNumber}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  app.post(
    '/v1/orders/:id/commission-form/scan',
    {
      onRequest: refuseStrangers,
      schema: {
        tags,
        summary:
          'Attach the scan of the commission form the customer signed and stamped, replacing an earlier one (multipart/form-data: "file"; the lab\'s managers and staff)',
        description:
          'PDF, JPEG or PNG, checked by name, declared type and content; at most 10 MiB (413 `file_too_large`), ' +
          'another type 415 `unsupported_file_type`; before the customer accepted the quote 409 ' +
          '`commission_form_missing`. Recorded on the order timeline. Refusals store nothing.',
        params: IdParams,
        body: { content: { 'multipart/form-data': { schema: ScanUpload } } },
        response: { 200: CommissionFormOut, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const d = deps();
      // Refuse strangers, other roles and orders without a form before reading the upload.
      await assertMayAttachScan(d, request.actor, request.params.id);
      const upload = await receiveUpload(request, { filesDir: d.filesDir, maxBytes: CERTIFICATE_MAX_BYTES });
      return attachCommissionScan(d, request.actor, request.params.id, upload);
    },
  );

  app.get(
    '/v1/orders/:id/commission-form/scan',
    {
      onRequest: refuseStrangers,
      ...documented(
        tags,
        { params: IdParams, answer: ScanDownload, problems: [400, 401, 403, 404] },
        'Download the signed and stamped commission form (the customer and the lab; 404 when none is attached)',
      ),
    },
    async (request, reply) =>
      sendScan(request, reply, await commissionScanFile(deps(), request.actor, request.params.id)),
  );
};
