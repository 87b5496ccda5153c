import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { documented } from '../../lib/route.ts';
import { IdParams, Nullable } from '../../lib/schema.ts';
import {
  AdminCaseQuery,
  CaseCreate,
  CaseList,
  CaseOut,
  CasePatch,
  PublicCaseOut,
  PublicCaseQuery,
  ReturnBody,
} from './schema.ts';
import * as cases from './service.ts';

/** Typical cases (典型案例): written by labs and service officers, reviewed by the region's admins, public once published. */
export const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  // Public.
  app.get(
    '/v1/cases',
    documented(
      ['cases'],
      {
        querystring: PublicCaseQuery,
        answer: Type.Object({ items: Type.Array(PublicCaseOut), nextCursor: Nullable(Type.String()) }),
        problems: [400],
      },
      'Published typical cases, newest first (anyone)',
    ),
    async (request) => cases.publishedCases(deps(), request.query),
  );
  app.get(
    '/v1/cases/:id',
    documented(
      ['cases'],
      { params: IdParams, answer: PublicCaseOut, problems: [400, 404] },
      'One published typical case (anyone); an unpublished one is not found',
    ),
    async (request) => cases.publishedCase(deps(), request.params.id),
  );

  // The author's side: a lab's managers and staff, a platform's service officers.
  app.get(
    '/v1/case-submissions',
    documented(
      ['cases'],
      { answer: CaseList, problems: [401, 403] },
      "The caller's typical cases: their labs' and those they wrote, every status",
    ),
    async (request) => cases.mySubmittedCases(deps(), request.actor),
  );
  app.post(
    '/v1/case-submissions',
    documented(
      ['cases'],
      { body: CaseCreate, answer: CaseOut, status: 201, problems: [400, 401, 403] },
      'Write a typical case (a draft) for a lab or a platform the caller works for',
    ),
    async (request, reply) => reply.code(201).send(await cases.createCase(deps(), request.actor, request.body)),
  );
  app.get(
    '/v1/case-submissions/:id',
    documented(
      ['cases'],
      { params: IdParams, answer: CaseOut, problems: [400, 401, 403, 404] },
      'One of the caller’s typical cases',
    ),
    async (request) => cases.mySubmittedCase(deps(), request.actor, request.params.id),
  );
  app.patch(
    '/v1/case-submissions/:id',
    documented(
      ['cases'],
      { params: IdParams, body: CasePatch, answer: CaseOut, problems: [400, 401, 403, 404, 409] },
      'Edit a draft or returned typical case',
    ),
    async (request) => cases.editMyCase(deps(), request.actor, request.params.id, request.body),
  );
  app.post(
    '/v1/case-submissions/:id/submit',
    documented(
      ['cases'],
      { params: IdParams, answer: CaseOut, problems: [400, 401, 403, 404, 409] },
      "Submit a draft or returned case to the region's platform for review",
    ),
    async (request) => cases.submitCase(deps(), request.actor, request.params.id),
  );

  // The platform administrators of the case's region.
  app.get(
    '/v1/admin/cases',
    documented(
      ['cases'],
      { querystring: AdminCaseQuery, answer: CaseList, problems: [400, 401, 403] },
      "Typical cases of the admin's region that were submitted (never drafts)",
    ),
    async (request) => cases.regionCases(deps(), request.actor, request.query),
  );
  app.get(
    '/v1/admin/cases/:id',
    documented(
      ['cases'],
      { params: IdParams, answer: CaseOut, problems: [400, 401, 403, 404] },
      "One typical case of the admin's region",
    ),
    async (request) => cases.regionCaseById(deps(), request.actor, request.params.id),
  );
  app.patch(
    '/v1/admin/cases/:id',
    documented(
      ['cases'],
      { params: IdParams, body: CasePatch, answer: CaseOut, problems: [400, 401, 403, 404, 409] },
      'Edit a submitted or published typical case (audited)',
    ),
    async (request) => cases.adminEditCase(deps(), request.actor, request.params.id, request.body),
  );
  app.post(
    '/v1/admin/cases/:id/publish',
    documented(
      ['cases'],
      { params: IdParams, answer: CaseOut, problems: [400, 401, 403, 404, 409] },
      'Publish a submitted typical case on the public page',
    ),
    async (request) => cases.publishCase(deps(), request.actor, request.params.id),
  );
  app.post(
    '/v1/admin/cases/:id/return',
    documented(
      ['cases'],
      { params: IdParams, body: ReturnBody, answer: CaseOut, problems: [400, 401, 403, 404, 409] },
      'Return a submitted (or take down a published) case to its author with a reason',
    ),
    async (request) => cases.returnCase(deps(), request.actor, request.params.id, request.body.reason),
  );
};
