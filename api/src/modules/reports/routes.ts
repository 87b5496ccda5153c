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
      ...documented(
        tags,
        { params: IdParams, answer: ReportList, problems: [400, 401, 404] },
        "The order's reports (the lab sees drafts; the customer issued ones only)",
      ),
    },
    async (request) => listOrderReports(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/orders/:id/reports',
    {
      onRequest: refuseStrangers,
      ...documented(
        tags,
        { ...step, body: ReportCreate, status: 201 },
        'Draft a report of an order in progress for some of its lines (default: every line in no report yet), results prefilled from them (lab managers and staff)',
      ),
    },
    async (request, reply) =>
      reply.code(201).send(await createDraft(deps(), request.actor, request.params.id, request.body)),
  );

  app.get(
    '/v1/reports/:id',
    documented(
      tags,
      { params: IdParams, answer: ReportOut, problems: [400, 401, 404] },
      'One report (the lab, or the customer once it is issued)',
    ),
    async (request) => getReport(deps(), request.actor, request.params.id),
  );

  app.patch(
    '/v1/reports/:id',
    documented(
      tags,
      { ...step, body: ReportPatch },
      'Edit a draft: results (scope marks are computed), conclusion, tester, language, sample details',
    ),
    async (request) => updateDraft(deps(), request.actor, request.params.id, request.body),
  );

  app.post(
    '/v1/reports/:id/submit',
    documented(
      tags,
      step,
      'Submit a draft for review (order in_progress → report_review once every line not yet reported is in review)',
    ),
    async (request) => submitReport(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/reports/:id/review',
    documented(
      tags,
      { ...step, body: ReviewBody },
      'Approve a submitted report, or return it to the tester (not by the tester)',
    ),
    async (request) => reviewReport(deps(), request.actor, request.params.id, request.body),
  );

  app.post(
    '/v1/reports/:id/issue',
    documented(
      tags,
      step,
      'Issue a reviewed report (an authorised signatory who did not review it): number, marks, PDF; the order is report_issued once issued reports cover every line',
    ),
    async (request) => issueReport(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/reports/:id/replace',
    documented(
      tags,
      { params: IdParams, body: ReasonBody, answer: ReportOut, status: 201, problems: [400, 401, 403, 404, 409] },
      'Start a replacement of an issued report (lab managers); the old one is replaced when it issues',
    ),
    async (request, reply) =>
      reply.code(201).send(await replaceReport(deps(), request.actor, request.params.id, request.body.reason)),
  );

  app.post(
    '/v1/reports/:id/revoke',
    documented(
      tags,
      { params: IdParams, body: ReasonBody, answer: ReportOut, problems: [400, 401, 403, 404, 409] },
      'Revoke an issued report (lab managers); verification then shows it revoked, its lines wait for a new report and a settled order goes back to work (report_revoked, report_replaced when stale)',
    ),
    async (request) => revokeReport(deps(), request.actor, request.params.id, request.body.reason),
  );

  app.get(
    '/v1/reports/:id/pdf',
    {
      schema: {
        tags,
        summary:
          'Download the issued PDF (members of the customer organisation and of the lab only); under pay on delivery the customer gets 402 payment_required until the order’s invoice is paid',
        params: IdParams,
        produces: ['application/pdf'],
        response: {
          200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }),
          ...problems(400, 401, 402, 404, 409),
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
    documented(
      tags,
      { params: IdParams, querystring: LabReportQuery, answer: ReportList, problems: [400, 401, 403] },
      "The lab's reports, newest first, by status (members of the lab): the review and sign-off queue",
    ),
    async (request) => listLabReports(deps(), request.actor, request.params.id, request.query),
  );

  app.get(
    '/v1/labs/:id/signatories',
    documented(
      tags,
      { params: IdParams, answer: SignatoryList, problems: [400, 401, 403] },
      "The lab's authorised signatories (members of the lab)",
    ),
    async (request) => signatories.listSignatories(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/labs/:id/signatories',
    documented(
      tags,
      { params: IdParams, body: SignatoryCreate, answer: SignatoryOut, status: 201, problems: [400, 401, 403, 422] },
      'Name a member of the lab an authorised signatory (lab managers)',
    ),
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
