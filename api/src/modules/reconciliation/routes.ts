import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { reconciliation } from './overview.ts';
import { resolveDiscrepancy } from './resolve.ts';
import { DiscrepancyOut, IdParams, ReconciliationOut, ReconciliationQuery, ResolveBody } from './schema.ts';

/** The administrators' reconciliation: figures per lab of their region, and the discrepancy queue. */
export const reconciliationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/admin/reconciliation',
    documented(
      ['money'],
      { querystring: ReconciliationQuery, answer: ReconciliationOut, problems: [400, 401, 403] },
      'Per lab of the admin’s region over from..to (inclusive, Asia/Shanghai): use, billing, invoicing, payments, vouchers, ageing; and the current discrepancies',
    ),
    async (request) => reconciliation(deps(), request.actor, request.query),
  );

  app.post(
    '/v1/admin/reconciliation/discrepancies/:id/resolve',
    documented(
      ['money'],
      { params: IdParams, body: ResolveBody, answer: DiscrepancyOut, problems: [400, 401, 403, 404, 409] },
      'Resolve a discrepancy with a note (platform admins of its lab’s region; audited)',
    ),
    async (request) => resolveDiscrepancy(deps(), request.actor, request.params.id, request.body.note),
  );
};
