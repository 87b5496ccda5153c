import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { IdParams } from '../../lib/schema.ts';
import { getInvoice, listInvoices } from './queries.ts';
import { InvoiceList, InvoiceOut, InvoiceQuery } from './schema.ts';

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
};
