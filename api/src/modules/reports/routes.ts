import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { conflict } from '../../lib/errors.ts';
import { documented } from '../../lib/route.ts';
import { IdParams, problems } from '../../lib/schema.ts';
import { refuseStrangers } from '../../plugins/auth.ts';
import {
  LabReportQuery,
  ReasonBody,
  ReportCreate,
  ReportList,
  ReportOut,
  ReportPatch,
  ReviewBody,
  SignatoryCreate,
  SignatoryList,
  SignatoryOut,
  SignatoryParams,
  VerificationOut,
  VerifyParams,
} from './schema.ts';
import { createDraft, replaceReport, updateDraft } from './drafts.ts';
import { issueReport } from './issue.ts';
import { getReport, listLabReports, listOrderReports, reportForDownload } from './lookup.ts';
import { reviewReport, submitReport } from './review.ts';
import { revokeReport } from './revoke.ts';
import * as signatories from './signatories.ts';
import { readStoredPdf, renderAndStore } from './store.ts';
import { verifyReport } from './verification.ts';

/** Test reports and calibration certificates: compose, review, sign, issue, replace, revoke, download, verify. */
export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock, webUrl: app.ctx.config.publicWebUrl });
  const tags = ['reports'];
  /** A step of a report's composing, review and sign-off: on one report, answering with it. */
  const step = { params: IdParams, answer: ReportOut, problems: [400, 401, 403, 404, 409, 422] };

  app.get(
    '/v1/orders/:id/reports',
    {
      onRequest: refuseStrangers,
      ...documented(tags, "The order's reports (the lab sees drafts; the customer issued ones only)", {
        params: IdParams,
        answer: ReportList,
        problems: [400, 401, 404],
      }),
    },
    async (request) => listOrderReports(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/orders/:id/reports',
    {
      onRequest: refuseStrangers,
      ...documented(
        tags,
        'Draft the report of an order in progress, results prefilled from its lines (lab managers and staff)',
        { ...step, body: ReportCreate, status: 201 },
      ),
    },
    async (request, reply) =>
      reply.code(201).send(await createDraft(deps(), request.actor, request.params.id, request.body)),
  );

  app.get(
    '/v1/reports/:id',
    documented(tags, 'One report (the lab, or the customer once it is issued)', {
      params: IdParams,
      answer: ReportOut,
      problems: [400, 401, 404],
    }),
    async (request) => getReport(deps(), request.actor, request.params.id),
  );

  app.patch(
    '/v1/reports/:id',
    documented(tags, 'Edit a draft: results (scope marks are computed), conclusion, tester, language, sample details', {
      ...step,
      body: ReportPatch,
    }),
    async (request) => updateDraft(deps(), request.actor, request.params.id, request.body),
  );

  app.post(
    '/v1/reports/:id/submit',
    documented(tags, 'Submit a draft for review (order in_progress → report_review)', step),
    async (request) => submitReport(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/reports/:id/review',
    documented(tags, 'Approve a submitted report, or return it to the tester (not by the tester)', {
      ...step,
      body: ReviewBody,
    }),
    async (request) => reviewReport(deps(), request.actor, request.params.id, request.body),
  );

  app.post(
    '/v1/reports/:id/issue',
    documented(
      tags,
      'Issue a reviewed report (an authorised signatory who did not review it): number, marks, PDF',
      step,
    ),
    async (request) => issueReport(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/reports/:id/replace',
    documented(tags, 'Start a replacement of an issued report (lab managers); the old one is replaced when it issues', {
      params: IdParams,
      body: ReasonBody,
      answer: ReportOut,
      status: 201,
      problems: [400, 401, 403, 404, 409],
    }),
    async (request, reply) =>
      reply.code(201).send(await replaceReport(deps(), request.actor, request.params.id, request.body.reason)),
  );

  app.post(
    '/v1/reports/:id/revoke',
    documented(tags, 'Revoke an issued report (lab managers); verification then shows it revoked', {
      params: IdParams,
      body: ReasonBody,
      answer: ReportOut,
      problems: [400, 401, 403, 404, 409],
    }),
    async (request) => revokeReport(deps(), request.actor, request.params.id, request.body.reason),
  );

  app.get(
    '/v1/reports/:id/pdf',
    {
      schema: {
        tags,
        summary: 'Download the issued PDF (members of the customer organisation and of the lab only)',
        params: IdParams,
        produces: ['application/pdf'],
        response: {
          200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }),
          ...problems(400, 401, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const report = await reportForDownload(app.ctx.db, request.actor, request.params.id);
      let stored = report;
      if (!report.pdfSha256) {
        // Not rendered yet (the job is queued): render now, once, under the report's row lock.
        const done = await renderAndStore(
          { db: app.ctx.db, filesDir: app.ctx.config.filesDir, webUrl: app.ctx.config.publicWebUrl },
          report.id,
        );
        if (!done) throw conflict('pdf_not_ready', 'The PDF is not ready yet.');
        stored = { ...report, ...done };
      }
      const bytes = await readStoredPdf(app.ctx.config.filesDir, stored);
      if (!bytes) throw conflict('pdf_not_ready', 'The stored PDF is missing or does not match its hash.');
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${stored.number ?? 'report'}.pdf"`)
        .header('x-content-sha256', stored.pdfSha256)
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  app.get(
    '/v1/reports/verify/:code',
    {
      config: {
        rateLimit: { max: app.ctx.config.authRateLimit.max, timeWindow: app.ctx.config.authRateLimit.windowMs },
      },
      schema: {
        tags,
        summary: 'Public verification of a report by the code in its QR code: number, lab, date, status, hash',
        params: VerifyParams,
        response: { 200: VerificationOut, ...problems(400, 404, 429) },
      },
    },
    async (request) => verifyReport(app.ctx.db, request.params.code),
  );

  app.get(
    '/v1/labs/:id/reports',
    documented(tags, "The lab's reports, newest first, by status (members of the lab): the review and sign-off queue", {
      params: IdParams,
      querystring: LabReportQuery,
      answer: ReportList,
      problems: [400, 401, 403],
    }),
    async (request) => listLabReports(deps(), request.actor, request.params.id, request.query),
  );

  app.get(
    '/v1/labs/:id/signatories',
    documented(tags, "The lab's authorised signatories (members of the lab)", {
      params: IdParams,
      answer: SignatoryList,
      problems: [400, 401, 403],
    }),
    async (request) => signatories.listSignatories(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/labs/:id/signatories',
    documented(tags, 'Name a member of the lab an authorised signatory (lab managers)', {
      params: IdParams,
      body: SignatoryCreate,
      answer: SignatoryOut,
      status: 201,
      problems: [400, 401, 403, 422],
    }),
    async (request, reply) =>
      reply.code(201).send(await signatories.addSignatory(deps(), request.actor, request.params.id, request.body)),
  );

  app.delete(
    '/v1/labs/:id/signatories/:userId',
    {
      schema: {
        tags,
        summary: 'Withdraw a signatory’s authorisation (lab managers); past signatures stay on record',
        params: SignatoryParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await signatories.removeSignatory(deps(), request.actor, request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  );
};
