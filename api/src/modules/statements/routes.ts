import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { LabStatement } from '@qihub/db';
import { Type } from 'typebox';
import { documented } from '../../lib/route.ts';
import { problems } from '../../lib/schema.ts';
import {
  customerStatement,
  labStatement,
  listLabStatements,
  pickFormat,
  rebuildLabStatement,
  statementFile,
} from './queries.ts';
import type { StatementFormat } from './queries.ts';
import {
  CustomerMonthParams,
  CustomerStatementQuery,
  FormatQuery,
  LabMonthParams,
  LabParams,
  StatementList,
  StatementListQuery,
  StatementOut,
  StatementSummaryOut,
} from './schema.ts';

const tags = ['money'];
const Binary = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' });

/** One statement in three media types: the JSON (as stored, byte for byte), the PDF and the workbook. */
const fileResponses = {
  200: {
    description: 'The statement; `x-content-sha256` is the stored hash of the bytes sent',
    content: {
      'application/json': { schema: StatementOut },
      'application/pdf': { schema: Binary },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: Binary },
    },
  },
};

function sendStatement(reply: FastifyReply, s: LabStatement, format: StatementFormat) {
  const f = statementFile(s, format);
  return reply
    .header('content-type', f.type)
    .header('content-disposition', `${format === 'json' ? 'inline' : 'attachment'}; filename="${f.name}"`)
    .header('x-content-sha256', f.sha256)
    .header('cache-control', 'private, no-store')
    .send(f.body);
}

/** Lab statements (对账单) and monthly-account customers' statements. */
export const statementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/labs/:labId/statements',
    documented(
      tags,
      { params: LabParams, querystring: StatementListQuery, answer: StatementList, problems: [400, 401, 403, 404] },
      'The lab’s monthly statements, newest month first (managers, staff, the region’s platform admins)',
    ),
    async (request) => listLabStatements(deps(), request.actor, request.params.labId, request.query),
  );

  app.get(
    '/v1/labs/:labId/statements/:month',
    {
      schema: {
        tags,
        summary:
          'A past month’s lab statement as JSON, PDF or XLSX (`?format=` or Accept); built on first request if the monthly run has not',
        params: LabMonthParams,
        querystring: FormatQuery,
        produces: Object.keys(fileResponses[200].content),
        response: { ...fileResponses, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const s = await labStatement(deps(), request.actor, request.params.labId, request.params.month);
      return sendStatement(reply, s, pickFormat(request.query.format, request.headers.accept));
    },
  );

  app.post(
    '/v1/labs/:labId/statements/:month/build',
    documented(
      tags,
      { params: LabMonthParams, answer: StatementSummaryOut, problems: [400, 401, 403, 404, 409] },
      'Build (or rebuild) a past month’s statement (lab managers); the same data gives the same files',
    ),
    async (request) => {
      const s = await rebuildLabStatement(deps(), request.actor, request.params.labId, request.params.month);
      return {
        month: s.month,
        builtAt: s.builtAt.toISOString(),
        sha256: { json: s.jsonSha256, pdf: s.pdfSha256, xlsx: s.xlsxSha256 },
      };
    },
  );

  app.get(
    '/v1/customers/:orgId/statements/:month',
    {
      schema: {
        tags,
        summary: 'A customer’s statement of its account with one lab for a past month (members of the customer)',
        params: CustomerMonthParams,
        querystring: CustomerStatementQuery,
        produces: Object.keys(fileResponses[200].content),
        response: { ...fileResponses, ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const { orgId, month } = request.params;
      const s = await customerStatement(deps(), request.actor, orgId, request.query.labId, month);
      return sendStatement(reply, s, pickFormat(request.query.format, request.headers.accept));
    },
  );
};
