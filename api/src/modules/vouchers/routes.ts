import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { documented } from '../../lib/route.ts';
import { IdParams, ListQuery, problems } from '../../lib/schema.ts';
import { applyForVoucher, decideApplication, listApplications, myVouchers } from './applications.ts';
import { approveClaim, fileClaim, listAdminClaims, listLabClaims, recordClaimPayment, refuseClaim } from './claims.ts';
import { evidencePack } from './evidence.ts';
import { useVoucher } from './spend.ts';
import { createProgramme, listAdminProgrammes, listOpenProgrammes, updateProgramme } from './programmes.ts';
import {
  ApplicationCreate,
  ApplicationList,
  ApplicationOut,
  ApplicationQuery,
  ApproveApplication,
  ClaimCreate,
  ClaimList,
  ClaimOut,
  ClaimPaymentCreate,
  ClaimQuery,
  LabClaimParams,
  LabParams,
  MyVouchers,
  ProgrammeCreate,
  ProgrammeList,
  ProgrammeOut,
  ProgrammePatch,
  Reason,
  UseVoucher,
  VoucherUseOut,
} from './schema.ts';

const tags = ['vouchers'];
const PageQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

/** Innovation vouchers (创新券): programmes, applications and quotas, use on invoices, redemption claims. */
export const voucherRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/admin/voucher-programmes',
    documented(
      tags,
      { querystring: PageQuery, answer: ProgrammeList, problems: [400, 401, 403] },
      'The programmes of the admin’s platforms',
    ),
    async (request) => listAdminProgrammes(deps(), request.actor, request.query),
  );

  app.post(
    '/v1/admin/voucher-programmes',
    documented(
      tags,
      { body: ProgrammeCreate, answer: ProgrammeOut, status: 201, problems: [400, 401, 403, 422] },
      'Set up a voucher programme run by the admin’s province or city platform (audited)',
    ),
    async (request, reply) => reply.code(201).send(await createProgramme(deps(), request.actor, request.body)),
  );

  app.patch(
    '/v1/admin/voucher-programmes/:id',
    documented(
      tags,
      { params: IdParams, body: ProgrammePatch, answer: ProgrammeOut, problems: [400, 401, 403, 404] },
      'Change a programme of the admin’s platform (audited; uses already made keep their share)',
    ),
    async (request) => updateProgramme(deps(), request.actor, request.params.id, request.body),
  );

  app.get(
    '/v1/voucher-programmes',
    documented(
      tags,
      { querystring: PageQuery, answer: ProgrammeList, problems: [400, 401] },
      'Programmes open for applications today',
    ),
    async (request) => listOpenProgrammes(deps(), request.actor, request.query),
  );

  app.post(
    '/v1/voucher-applications',
    documented(
      tags,
      { body: ApplicationCreate, answer: ApplicationOut, status: 201, problems: [400, 401, 403, 404, 409, 422] },
      'An enterprise applies for a voucher quota (at most the programme’s cap per year)',
    ),
    async (request, reply) => reply.code(201).send(await applyForVoucher(deps(), request.actor, request.body)),
  );

  app.get(
    '/v1/voucher-applications',
    documented(
      tags,
      { querystring: ApplicationQuery, answer: ApplicationList, problems: [400, 401] },
      'The caller’s enterprises’ applications; an admin also sees those of their programmes',
    ),
    async (request) => listApplications(deps(), request.actor, request.query),
  );

  app.post(
    '/v1/admin/voucher-applications/:id/approve',
    documented(
      tags,
      { params: IdParams, body: ApproveApplication, answer: ApplicationOut, problems: [400, 401, 403, 404, 409, 422] },
      'Grant a quota (at most the cap); the enterprise is notified (audited)',
    ),
    async (request) =>
      decideApplication(deps(), request.actor, request.params.id, { approve: true, quota: request.body.quota.amount }),
  );

  app.post(
    '/v1/admin/voucher-applications/:id/reject',
    documented(
      tags,
      { params: IdParams, body: Reason, answer: ApplicationOut, problems: [400, 401, 403, 404, 409] },
      'Reject an application with a reason; the enterprise is notified (audited)',
    ),
    async (request) =>
      decideApplication(deps(), request.actor, request.params.id, { approve: false, reason: request.body.reason }),
  );

  app.get(
    '/v1/vouchers/mine',
    documented(
      tags,
      { answer: MyVouchers, problems: [401] },
      'The caller’s enterprises’ approved quotas and what is left',
    ),
    async (request) => myVouchers(deps(), request.actor),
  );

  app.post(
    '/v1/invoices/:id/voucher',
    documented(
      ['money', ...tags],
      { params: IdParams, body: UseVoucher, answer: VoucherUseOut, problems: [400, 401, 404, 409, 422] },
      'Use an approved voucher on an open invoice: the programme pays min(share × amount, quota left), the rest stays due',
    ),
    async (request) => useVoucher(deps(), request.actor, request.params.id, request.body.applicationId),
  );

  app.post(
    '/v1/labs/:labId/voucher-claims',
    documented(
      tags,
      { params: LabParams, body: ClaimCreate, answer: ClaimOut, status: 201, problems: [400, 401, 404, 409] },
      'File a redemption claim for the voucher share of a paid invoice whose work is done',
    ),
    async (request, reply) =>
      reply.code(201).send(await fileClaim(deps(), request.actor, request.params.labId, request.body.invoiceId)),
  );

  app.get(
    '/v1/labs/:labId/voucher-claims',
    documented(
      tags,
      { params: LabParams, querystring: ClaimQuery, answer: ClaimList, problems: [400, 401, 404] },
      'The lab’s redemption claims, newest first',
    ),
    async (request) => listLabClaims(deps(), request.actor, request.params.labId, request.query),
  );

  app.get(
    '/v1/labs/:labId/voucher-claims/:id/evidence.zip',
    {
      schema: {
        tags,
        summary:
          'The claim’s evidence pack (ZIP), built from the data: commission form or booking record, invoice, self-paid payments, report PDF or usage log',
        params: LabClaimParams,
        produces: ['application/zip'],
        response: { 200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const pack = await evidencePack(
        { ...deps(), filesDir: app.ctx.config.filesDir },
        request.actor,
        request.params.labId,
        request.params.id,
      );
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${pack.filename}"`)
        .header('cache-control', 'private, no-store')
        .send(pack.bytes);
    },
  );

  app.get(
    '/v1/admin/voucher-claims',
    documented(
      tags,
      { querystring: ClaimQuery, answer: ClaimList, problems: [400, 401, 403] },
      'Redemption claims on the admin’s programmes, newest first',
    ),
    async (request) => listAdminClaims(deps(), request.actor, request.query),
  );

  app.post(
    '/v1/admin/voucher-claims/:id/approve',
    documented(
      tags,
      { params: IdParams, answer: ClaimOut, problems: [400, 401, 403, 404, 409] },
      'Approve a submitted claim (audited)',
    ),
    async (request) => approveClaim(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/admin/voucher-claims/:id/reject',
    documented(
      tags,
      { params: IdParams, body: Reason, answer: ClaimOut, problems: [400, 401, 403, 404, 409] },
      'Reject a submitted claim: the share is billed back to the customer and the quota restored (audited)',
    ),
    async (request) => refuseClaim(deps(), request.actor, request.params.id, 'rejected', request.body.reason),
  );

  app.post(
    '/v1/admin/voucher-claims/:id/void',
    documented(
      tags,
      { params: IdParams, body: Reason, answer: ClaimOut, problems: [400, 401, 403, 404, 409] },
      'Void an unpaid claim (fraud): the share is billed back to the customer and the quota restored (audited)',
    ),
    async (request) => refuseClaim(deps(), request.actor, request.params.id, 'void', request.body.reason),
  );

  app.post(
    '/v1/admin/voucher-claims/:id/payments',
    documented(
      tags,
      { params: IdParams, body: ClaimPaymentCreate, answer: ClaimOut, problems: [400, 401, 403, 404, 409, 422] },
      'Record the programme’s payment to the lab for an approved claim (ledger: bank / voucher receivable; audited)',
    ),
    async (request) => recordClaimPayment(deps(), request.actor, request.params.id, request.body),
  );
};
