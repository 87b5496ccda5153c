import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { adminFeeRates, adminPlatformFee, adminPlatformFees, labPlatformFees } from './queries.ts';
import { FeeIdParams, FeeInvoiceList, FeeInvoiceOut, FeeInvoiceQuery, FeeRateList, LabParams } from './schema.ts';

/**
 * The platform's own service fee (平台服务费): its monthly invoices to labs, seen by the lab's members
 * and by the admins of the lab's regions; the rates per region. The platform's statement is
 * uploaded and worked through the bank-statements routes under /v1/admin/platforms/{platformId}.
 */
export const platformFeeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/labs/:labId/platform-fees',
    documented(
      ['money'],
      { params: LabParams, querystring: FeeInvoiceQuery, answer: FeeInvoiceList, problems: [400, 401, 404] },
      'The platform’s service fee invoices to the lab (one a month: rate × the month’s bank-transfer and voucher receipts), newest first (the lab’s members)',
    ),
    async (request) => labPlatformFees(deps(), request.actor, request.params.labId, request.query),
  );

  app.get(
    '/v1/admin/platform-fees',
    documented(
      ['money'],
      { querystring: FeeInvoiceQuery, answer: FeeInvoiceList, problems: [400, 401, 403] },
      'The service fee invoices to the labs in the admin’s regions, newest first',
    ),
    async (request) => adminPlatformFees(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/admin/platform-fees/:id',
    documented(
      ['money'],
      { params: FeeIdParams, answer: FeeInvoiceOut, problems: [400, 401, 403, 404] },
      'One service fee invoice (by its invoice id) of a lab in the admin’s regions',
    ),
    async (request) => adminPlatformFee(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/admin/fee-rates',
    documented(
      ['money'],
      { answer: FeeRateList, problems: [401, 403] },
      'The service fee rates of the admin’s regions: the rate in force in each, and every rate set in them and below',
    ),
    async (request) => adminFeeRates(deps(), request.actor),
  );
};
