import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DateTime, IdParams, LabType, ListQuery, Nullable, Page, problems, Uuid } from '../../lib/schema.ts';
import * as admission from './service.ts';

const OrgStatus = Type.Enum(['pending', 'active', 'suspended']);
const LabForReview = Type.Object({
  id: Uuid,
  nameZh: Type.String(),
  nameEn: Type.String(),
  status: OrgStatus,
  labType: Nullable(LabType),
  regionCode: Type.String(),
  creditCode: Nullable(Type.String()),
  createdAt: DateTime,
});

/** Provider admission by the platform (regional scope). */
export const admissionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/admin/labs',
    {
      schema: {
        tags: ['platform'],
        summary: "Labs in the platform user's region, e.g. pending applications",
        querystring: Type.Object({ status: Type.Optional(OrgStatus), ...ListQuery }),
        response: { 200: Page(LabForReview), ...problems(400, 401, 403) },
      },
    },
    async (request) => admission.listLabsForPlatform(deps(), request.actor, request.query),
  );

  app.post(
    '/v1/admin/labs/:id/admit',
    {
      schema: {
        tags: ['platform'],
        summary: 'Admit a lab that applied (platform admins of its region)',
        params: IdParams,
        response: {
          200: Type.Object({ id: Uuid, status: Type.Literal('active') }),
          ...problems(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => admission.admitLab(deps(), request.actor, request.params.id, request.id),
  );
};
