import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { documented } from '../../lib/route.ts';
import { IdParams, problems } from '../../lib/schema.ts';
import { recordManualPayment, voidInvoice } from './payments.ts';
import { getInvoice, invoicePdf, listInvoices } from './queries.ts';
import {
  BillingSettingsBody,
  BillingSettingsOut,
  CustomerTermsBody,
  CustomerTermsList,
  CustomerTermsOut,
  IdempotencyHeaders,
  InvoiceList,
  InvoiceOut,
  InvoiceQuery,
  LabCustomerParams,
  LabParams,
  PaymentBody,
  VoidBody,
} from './schema.ts';
import * as settings from './settings.ts';

/** Invoices (账单): a customer sees its organisation's, a lab member its lab's. */
export const invoiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/invoices',
    documented(
      ['money'],
      { querystring: InvoiceQuery, answer: InvoiceList, problems: [400, 401] },
      'Invoices and credit notes: the caller’s organisations’ bills and its labs’ own, newest first',
    ),
    async (request) => listInvoices(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/invoices/:id',
    documented(
      ['money'],
      { params: IdParams, answer: InvoiceOut, problems: [400, 401, 404] },
      'One invoice or credit note with its lines, payments, payee account and payment reference',
    ),
    async (request) => getInvoice(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/invoices/:id/pdf',
    {
      schema: {
        tags: ['money'],
        summary:
          'The payment notice (付款通知书) as PDF: lines, amount due, the payee account and the payment reference',
        params: IdParams,
        produces: ['application/pdf'],
        response: { 200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { number, bytes } = await invoicePdf(deps(), request.actor, request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  app.post(
    '/v1/invoices/:id/payments',
    documented(
      ['money'],
      {
        params: IdParams,
        headers: IdempotencyHeaders,
        body: PaymentBody,
        answer: InvoiceOut,
        status: 201,
        problems: [400, 401, 403, 404, 409, 422],
      },
      'Record a payment received (the issuer’s managers and staff); beyond the amount due it becomes the customer’s credit. Optional Idempotency-Key',
    ),
    async (request, reply) => {
      const result = await recordManualPayment(
        deps(),
        request.actor,
        request.params.id,
        request.body,
        request.headers['idempotency-key'],
        request.id,
      );
      return reply.code(201).header('idempotent-replayed', String(result.replayed)).send(result.body);
    },
  );

  app.post(
    '/v1/invoices/:id/void',
    documented(
      ['money'],
      { params: IdParams, body: VoidBody, answer: InvoiceOut, problems: [400, 401, 403, 404, 409] },
      'Void an invoice issued in error (the issuer’s managers): only with nothing paid, no voucher share and no credit note; `then` re-issues or releases its charges',
    ),
    async (request) =>
      voidInvoice(deps(), request.actor, request.params.id, request.body.reason, request.id, request.body.then),
  );

  app.get(
    '/v1/labs/:labId/billing-settings',
    documented(
      ['money'],
      { params: LabParams, answer: BillingSettingsOut, problems: [400, 401, 403, 404] },
      'The lab’s default billing terms, due days, VAT rate and payee account (managers and staff)',
    ),
    async (request) => settings.getBillingSettings(deps(), request.actor, request.params.labId),
  );

  app.put(
    '/v1/labs/:labId/billing-settings',
    documented(
      ['money'],
      { params: LabParams, body: BillingSettingsBody, answer: BillingSettingsOut, problems: [400, 401, 403, 404] },
      'Set the lab’s billing terms and payee account (managers); issued invoices keep theirs',
    ),
    async (request) =>
      settings.putBillingSettings(deps(), request.actor, request.params.labId, request.body, request.id),
  );

  app.get(
    '/v1/labs/:labId/customer-terms',
    documented(
      ['money'],
      { params: LabParams, answer: CustomerTermsList, problems: [400, 401, 403, 404] },
      'The lab’s terms for particular customers, overriding its defaults (managers and staff)',
    ),
    async (request) => settings.listCustomerTerms(deps(), request.actor, request.params.labId),
  );

  app.put(
    '/v1/labs/:labId/customer-terms/:customerOrgId',
    documented(
      ['money'],
      {
        params: LabCustomerParams,
        body: CustomerTermsBody,
        answer: CustomerTermsOut,
        problems: [400, 401, 403, 404, 422],
      },
      'Set the lab’s terms for one customer (managers)',
    ),
    async (request) =>
      settings.putCustomerTerms(
        deps(),
        request.actor,
        request.params.labId,
        request.params.customerOrgId,
        request.body,
        request.id,
      ),
  );

  app.delete(
    '/v1/labs/:labId/customer-terms/:customerOrgId',
    {
      schema: {
        tags: ['money'],
        summary: 'Remove a customer’s own terms: the lab’s defaults apply again (managers)',
        params: LabCustomerParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await settings.deleteCustomerTerms(
        deps(),
        request.actor,
        request.params.labId,
        request.params.customerOrgId,
        request.id,
      );
      return reply.code(204).send(null);
    },
  );
};
