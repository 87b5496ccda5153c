import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problems } from '../../lib/schema.ts';
import { StatisticsOut, StatisticsQuery } from './schema.ts';
import * as stats from './service.ts';
import { renderStatisticsCsv, renderStatisticsXlsx, statisticsFileName } from './table.ts';

const Binary = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The programme's statistics (附件2) for platform admins, scoped to their region. */
export const statisticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/admin/statistics',
    {
      schema: {
        tags: ['platform'],
        summary:
          'The programme’s statistics for a region (province → city → station) and a period of Asia/Shanghai dates, live from the records; `format=xlsx` or `csv` for the table',
        querystring: StatisticsQuery,
        response: {
          200: {
            description: 'The figures; the workbook or the flat CSV when asked',
            content: {
              'application/json': { schema: StatisticsOut },
              [XLSX]: { schema: Binary },
              'text/csv': { schema: Type.String() },
            },
          },
          ...problems(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const s = await stats.statistics(deps(), request.actor, query);
      reply.header('cache-control', 'private, no-store');
      if (format === 'xlsx') {
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', `attachment; filename="${statisticsFileName(s, 'xlsx')}"`)
          .send(await renderStatisticsXlsx(s, app.ctx.clock()));
      }
      if (format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${statisticsFileName(s, 'csv')}"`)
          .send(renderStatisticsCsv(s));
      }
      return s;
    },
  );
};
