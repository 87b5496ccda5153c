import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { LabIdParams, PeriodQuery, TrialBalanceOut } from './schema.ts';
import { labTrialBalance, regionTrialBalance } from './trial-balance.ts';

/** The ledger's read side: trial balances for platform admins (their region) and for a lab. */
export const ledgerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db });

  app.get(
    '/v1/admin/ledger/trial-balance',
    documented(
      ['money'],
      { querystring: PeriodQuery, answer: TrialBalanceOut, problems: [400, 401, 403] },
      'Trial balance of the books of the labs and platforms in the admin’s region: debit and credit totals per account over the entries posted from..to (inclusive, Asia/Shanghai)',
    ),
    async (request) => regionTrialBalance(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/labs/:labId/ledger/trial-balance',
    documented(
      ['money'],
      { params: LabIdParams, querystring: PeriodQuery, answer: TrialBalanceOut, problems: [400, 401, 403, 404] },
      'The lab’s own trial balance over from..to (inclusive, Asia/Shanghai)',
    ),
    async (request) => labTrialBalance(deps(), request.actor, request.params.labId, request.query),
  );
};
