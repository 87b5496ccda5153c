import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Actor } from '../../lib/actor.ts';
import { documented } from '../../lib/route.ts';
import { DateTime, IdParams, ListQuery, Page, problems, Uuid } from '../../lib/schema.ts';
import { refuseStrangers } from '../../plugins/auth.ts';
import { receiveUpload } from '../conversation/index.ts';
import { ScanDownload, sendScan } from '../qualification-scans/index.ts';
import * as application from './application.ts';
import * as files from './certificate-files.ts';
import * as notices from './notices.ts';
import * as review from './review.ts';
import {
  ApplicationBody,
  HandlingBody,
  LabApplication,
  LabForReview,
  LabReview,
  Objection,
  ObjectionBody,
  OrgStatus,
  PublicNotice,
  Reason,
} from './schema.ts';
import * as windDown from './wind-down.ts';

/**
 * Provider admission (入驻) and exit (退出) with a public notice (公示), as DB33/T 2428-2022 has it:
 * the lab applies, the platform admin of its region reviews, publishes a 7-day notice anyone may
 * object to, and decides after it; suspension and exit follow the same path.
 */
const CertificateParams = Type.Object({ id: Uuid, index: Type.Integer({ minimum: 0, maximum: 19 }) });
const FileParams = Type.Object({ id: Uuid, fileId: Uuid });
const CertificateUpload = Type.Union([
  Type.Object({ file: Type.String({ format: 'binary', description: 'PDF, JPEG or PNG, at most 10 MiB' }) }),
  Type.Null(),
]);

type LabReviewOut = Awaited<ReturnType<typeof review.labReview>>;

export const admissionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });
  const fileDeps = () => ({ ...deps(), filesDir: app.ctx.config.filesDir });
  // Encapsulated in this plugin (as the conversation's): one file per request, at most 10 MiB.
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: files.CERTIFICATE_MAX_BYTES, files: 1, fields: 2, parts: 3, fieldSize: 1024 },
  });
  const platform = ['platform'];
  const labs = ['labs'];

  // The lab's own application.
  app.get(
    '/v1/labs/:id/application',
    documented(
      labs,
      { params: IdParams, answer: LabApplication, problems: [400, 401, 403, 404] },
      "The lab's admission application (its managers)",
    ),
    async (request) => application.getApplication(deps(), request.actor, request.params.id),
  );
  app.put(
    '/v1/labs/:id/application',
    documented(
      labs,
      { params: IdParams, body: ApplicationBody, answer: LabApplication, problems: [400, 401, 403, 404, 409] },
      'Save the application as a draft, or the changes the platform asked for',
    ),
    async (request) =>
      application.saveApplication(fileDeps(), request.actor, request.params.id, request.body, request.id),
  );
  app.post(
    '/v1/labs/:id/application/submit',
    documented(
      labs,
      { params: IdParams, answer: LabApplication, problems: [400, 401, 403, 404, 409, 422] },
      'Submit (or resubmit) a complete application for review',
    ),
    async (request) => application.submitApplication(deps(), request.actor, request.params.id, request.id),
  );

  // The certificate scans on the application.
  app.post(
    '/v1/labs/:id/application/certificates/:index/file',
    {
      onRequest: refuseStrangers,
      schema: {
        tags: labs,
        summary:
          'Attach the scan of a certificate of the application (multipart/form-data: "file"; the lab\'s managers)',
        description:
          'PDF, JPEG or PNG, checked by name, declared type and content; at most 10 MiB (413 `file_too_large`), ' +
          "another type 415 `unsupported_file_type`. `index` is the certificate's place in the saved " +
          'application; a new scan replaces the earlier one. Refusals store nothing.',
        params: CertificateParams,
        body: { content: { 'multipart/form-data': { schema: CertificateUpload } } },
        response: { 200: LabApplication, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const d = fileDeps();
      const { id, index } = request.params;
      // Refuse strangers and applications that cannot be edited before reading the upload.
      await files.assertMayUpload(d, request.actor, id, index);
      const upload = await receiveUpload(request, { filesDir: d.filesDir, maxBytes: files.CERTIFICATE_MAX_BYTES });
      return files.attachCertificateFile(d, request.actor, id, index, upload, request.id);
    },
  );
  app.get(
    '/v1/labs/:id/application/files/:fileId',
    {
      onRequest: refuseStrangers,
      ...documented(
        labs,
        { params: FileParams, answer: ScanDownload, problems: [400, 401, 404] },
        "Download a certificate scan (as the application: the lab's managers, the platform admins and service officers of its region; 404 to anyone else)",
      ),
    },
    async (request, reply) => {
      const { file, full } = await files.certificateFile(
        fileDeps(),
        request.actor,
        request.params.id,
        request.params.fileId,
      );
      return sendScan(request, reply, { full, contentType: file.contentType, fileName: file.fileName });
    },
  );

  // The platform's review.
  app.get(
    '/v1/admin/labs',
    documented(
      platform,
      {
        querystring: Type.Object({ status: Type.Optional(OrgStatus), ...ListQuery }),
        answer: Page(LabForReview),
        problems: [400, 401, 403],
      },
      "Labs in the platform user's region, with their admission and exit state",
    ),
    async (request) => review.listLabsForPlatform(deps(), request.actor, request.query),
  );
  app.get(
    '/v1/admin/labs/:id',
    documented(
      platform,
      { params: IdParams, answer: LabReview, problems: [400, 401, 403, 404] },
      'One lab as the platform reviews it: application, exit, objections (platform staff of its region)',
    ),
    async (request) => review.labReview(deps(), request.actor, request.params.id),
  );
  const decision = (
    path: string,
    summary: string,
    run: (id: string, actor: Actor | null, reqId: string) => Promise<LabReviewOut>,
  ) =>
    app.post(
      path,
      documented(platform, { params: IdParams, answer: LabReview, problems: [400, 401, 403, 404, 409] }, summary),
      async (request) => run(request.params.id, request.actor, request.id),
    );
  const withReason = (
    path: string,
    summary: string,
    run: (id: string, actor: Actor | null, reason: string, reqId: string) => Promise<LabReviewOut>,
  ) =>
    app.post(
      path,
      documented(
        platform,
        { params: IdParams, body: Reason, answer: LabReview, problems: [400, 401, 403, 404, 409] },
        summary,
      ),
      async (request) => run(request.params.id, request.actor, request.body.reason, request.id),
    );

  withReason(
    '/v1/admin/labs/:id/request-changes',
    'Send the application back for changes, with the reason',
    (id, a, reason, rid) => review.requestChanges(deps(), a, id, reason, rid),
  );
  decision(
    '/v1/admin/labs/:id/publish-notice',
    'Put the application on public notice (公示) for 7 days',
    (id, a, rid) => review.publishNotice(deps(), a, id, rid),
  );
  withReason(
    '/v1/admin/labs/:id/reject',
    'Reject the application with a reason (after the notice, if on notice)',
    (id, a, reason, rid) => review.rejectApplication(deps(), a, id, reason, rid),
  );
  app.post(
    '/v1/admin/labs/:id/admit',
    documented(
      platform,
      {
        params: IdParams,
        answer: Type.Object({ id: Uuid, status: Type.Literal('active') }),
        problems: [400, 401, 403, 404, 409],
      },
      'Admit a lab once its public notice is over (platform admins of its region)',
    ),
    async (request) => review.admitLab(deps(), request.actor, request.params.id, request.id),
  );
  withReason(
    '/v1/admin/labs/:id/suspend',
    'Suspend an admitted lab: it leaves the catalogue, future bookings are cancelled free',
    (id, a, reason, rid) => windDown.suspendLab(deps(), a, id, reason, rid),
  );
  decision('/v1/admin/labs/:id/reinstate', 'Lift a suspension', (id, a, rid) =>
    windDown.reinstateLab(deps(), a, id, rid),
  );
  withReason(
    '/v1/admin/labs/:id/exit',
    'Start the exit (退出) of a lab, with a 7-day public notice',
    (id, a, reason, rid) => windDown.startExit(deps(), a, id, reason, rid),
  );
  decision('/v1/admin/labs/:id/complete-exit', 'Complete an exit once its notice is over', (id, a, rid) =>
    windDown.completeExit(deps(), a, id, rid),
  );
  app.post(
    '/v1/admin/objections/:id/handling',
    documented(
      platform,
      { params: IdParams, body: HandlingBody, answer: Objection, problems: [400, 401, 403, 404] },
      'Record how an objection to a notice was handled',
    ),
    async (request) =>
      notices.handleObjection(deps(), request.actor, request.params.id, request.body.handling, request.id),
  );

  // Public.
  app.get(
    '/v1/notices',
    documented(
      ['public'],
      { querystring: Type.Object(ListQuery), answer: Page(PublicNotice), problems: [400] },
      'Public notices (公示) of labs joining or leaving, current and past',
    ),
    async (request) => notices.listNotices(deps(), request.query),
  );
  app.post(
    '/v1/notices/:id/objections',
    {
      ...documented(
        ['public'],
        {
          params: IdParams,
          body: ObjectionBody,
          answer: Type.Object({ id: Uuid, filedAt: DateTime }),
          status: 201,
          problems: [400, 404, 409],
        },
        'Object to a notice while it runs (anyone, signed in or not)',
      ),
      config: {
        rateLimit: { max: app.ctx.config.authRateLimit.max, timeWindow: app.ctx.config.authRateLimit.windowMs },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await notices.fileObjection(deps(), request.actor, request.params.id, request.body)),
  );
};
