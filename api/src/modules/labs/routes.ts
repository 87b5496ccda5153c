import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, problems } from '../../lib/schema.ts';
import { LabDetail, LabMemberList, ScopeSearchPage, ScopeSearchQuery } from './schema.ts';
import { searchScope } from './scope-search.ts';
import { changeMemberRole, cancelInvitation, inviteMember, listMembers, removeMember } from './members.ts';
import {
  InvitationParams,
  MemberInvite,
  MemberInviteResult,
  MemberParams,
  MemberRolePatch,
  MemberRoleResult,
} from './schema.ts';
import { getLab } from './service.ts';
import { addQualification, editQualification, listQualifications, withdrawQualification } from './qualifications.ts';
import {
  QualificationCreate,
  QualificationList,
  QualificationOut,
  QualificationParams,
  QualificationPatch,
} from './schema.ts';

export const labRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });
  app.get(
    '/v1/labs/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'A lab: sites, qualifications (CMA/CNAS with scope) and catalogue counts',
        params: IdParams,
        response: { 200: LabDetail, ...problems(400, 404) },
      },
    },
    async (request) => getLab({ db: app.ctx.db, clock: app.ctx.clock }, request.actor, request.params.id),
  );

  app.get(
    '/v1/labs/:id/members',
    {
      schema: {
        tags: ['lab console'],
        summary:
          "The lab's members by name and role (its members only; 404 to anyone else), e.g. to name a report's tester; " +
          'its managers also see e-mail addresses and the open invitations',
        params: IdParams,
        response: { 200: LabMemberList, ...problems(400, 401, 404) },
      },
    },
    async (request) => listMembers(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/labs/:id/members',
    {
      schema: {
        tags: ['lab console'],
        summary:
          'Invite by e-mail (managers): an account with that address joins at once and is told; an unknown address ' +
          'gets an invitation (e-mailed) that becomes a membership when it registers or signs in (audited)',
        params: IdParams,
        body: MemberInvite,
        response: { 201: MemberInviteResult, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await inviteMember(deps(), request.actor, request.params.id, request.body);
      return reply.code(201).send(result);
    },
  );

  app.patch(
    '/v1/labs/:id/members/:userId',
    {
      schema: {
        tags: ['lab console'],
        summary: "Change a member's role (managers); the last manager is not demoted (409 last_manager; audited)",
        params: MemberParams,
        body: MemberRolePatch,
        response: { 200: MemberRoleResult, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      changeMemberRole(deps(), request.actor, request.params.id, request.params.userId, request.body.role),
  );

  app.delete(
    '/v1/labs/:id/members/:userId',
    {
      schema: {
        tags: ['lab console'],
        summary: 'Remove a member from the lab (managers); the last manager stays (409 last_manager; audited)',
        params: MemberParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await removeMember(deps(), request.actor, request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/v1/labs/:id/invitations/:invitationId',
    {
      schema: {
        tags: ['lab console'],
        summary: 'Withdraw an open invitation (managers; audited)',
        params: InvitationParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await cancelInvitation(deps(), request.actor, request.params.id, request.params.invitationId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/labs/:id/qualifications',
    {
      schema: {
        tags: ['lab console'],
        summary: "The lab's CMA / CNAS certificates with scope, expired and withdrawn too (its members; 404 to others)",
        params: IdParams,
        response: { 200: QualificationList, ...problems(400, 401, 404) },
      },
    },
    async (request) => listQualifications(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/labs/:id/qualifications',
    {
      schema: {
        tags: ['lab console'],
        summary: 'Add a CMA / CNAS certificate with its scope lines (parameter × standard; managers; audited)',
        params: IdParams,
        body: QualificationCreate,
        response: { 201: QualificationOut, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addQualification(deps(), request.actor, request.params.id, request.body)),
  );

  app.patch(
    '/v1/labs/:id/qualifications/:qualificationId',
    {
      schema: {
        tags: ['lab console'],
        summary:
          'Edit a certificate: number, validity, issuing body, scope lines (replaced when given; managers; audited); ' +
          'validity that ends before the issue date is 422 qualification_ends_before_start, over six years 422 ' +
          'qualification_too_long',
        params: QualificationParams,
        body: QualificationPatch,
        response: { 200: QualificationOut, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      editQualification(deps(), request.actor, request.params.id, request.params.qualificationId, request.body),
  );

  app.post(
    '/v1/labs/:id/qualifications/:qualificationId/withdraw',
    {
      schema: {
        tags: ['lab console'],
        summary:
          'Withdraw a certificate from today (China time): it gives no CMA / CNAS mark from then on (managers; audited)',
        params: QualificationParams,
        response: { 200: QualificationOut, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => withdrawQualification(deps(), request.actor, request.params.id, request.params.qualificationId),
  );

  app.get(
    '/v1/scope-search',
    {
      schema: {
        tags: ['catalogue'],
        summary:
          'Labs whose valid CMA / CNAS scope covers a standard number or a parameter, with the matching scope lines',
        querystring: ScopeSearchQuery,
        response: { 200: ScopeSearchPage, ...problems(400) },
      },
    },
    async (request) => searchScope({ db: app.ctx.db, clock: app.ctx.clock }, request.query),
  );
};
