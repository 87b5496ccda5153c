import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { documented } from '../../lib/route.ts';
import { problems } from '../../lib/schema.ts';
import { AuditEntryOut, AuditIdParams, AuditPage, AuditQuery } from './schema.ts';
import { auditEntry, exportAuditCsv, listAuditLog } from './service.ts';

const CSV = Type.Unsafe<string>({ type: 'string', description: 'UTF-8 CSV with a byte-order mark' });

/** The platform admins' audit log of their region: filters, pages, and a CSV export. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db });

  app.get(
    '/v1/admin/audit',
    {
      schema: {
        tags: ['platform'],
        summary:
          'Audit log of the admin’s region (who, organisation, entity, action, period in Asia/Shanghai), newest first; `format=csv` for every match as a file',
        querystring: AuditQuery,
        produces: ['application/json', 'text/csv'],
        response: {
          200: {
            description: 'A page of entries, or the CSV file',
            content: { 'application/json': { schema: AuditPage }, 'text/csv': { schema: CSV } },
          },
          ...problems(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      if (request.query.format === 'csv') {
        const body = await exportAuditCsv(deps(), request.actor, request.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="audit.csv"')
          .header('cache-control', 'private, no-store')
          .send(body);
      }
      return reply.send(await listAuditLog(deps(), request.actor, request.query));
    },
  );

  app.get(
    '/v1/admin/audit/:id',
    documented(
      ['platform'],
      { params: AuditIdParams, answer: AuditEntryOut, problems: [400, 401, 403, 404] },
      'One audit entry with its before and after (platform admins of its region)',
    ),
    async (request) => auditEntry(deps(), request.actor, request.params.id),
  );
};
