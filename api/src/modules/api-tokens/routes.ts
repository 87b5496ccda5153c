import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { Type } from 'typebox';
import { DateTime, Nullable, problems, Uuid } from '../../lib/schema.ts';
import * as tokens from './service.ts';

const TokenRole = Type.Union([Type.Literal('manager'), Type.Literal('staff'), Type.Literal('operator')]);
const TokenOut = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  role: TokenRole,
  /** Who created it (their display name), null when that account is gone. */
  createdByName: Nullable(Type.String()),
  createdAt: DateTime,
  expiresAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
});
const OrgParams = Type.Object({ orgId: Uuid });

/** Tokens a lab creates for its own integrations (LIMS, instrument PCs): `Authorization: Bearer qht_…`. */
export const apiTokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/orgs/:orgId/api-tokens',
    {
      schema: {
        tags: ['lab console'],
        summary: "The lab's API tokens (secrets are never shown again)",
        params: OrgParams,
        response: { 200: Type.Object({ items: Type.Array(TokenOut) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => tokens.listTokens(deps(), request.actor, request.params.orgId),
  );

  app.post(
    '/v1/orgs/:orgId/api-tokens',
    {
      schema: {
        tags: ['lab console'],
        summary: 'Create an API token; the secret is in this response only',
        params: OrgParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            role: Type.Optional(TokenRole),
            expiresAt: Type.Optional(DateTime),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([TokenOut, Type.Object({ token: Type.String() })]),
          ...problems(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await tokens.createToken(deps(), request.actor, request.params.orgId, request.body)),
  );

  app.post(
    '/v1/orgs/:orgId/api-tokens/:tokenId/revoke',
    documented(
      ['lab console'],
      { params: Type.Object({ orgId: Uuid, tokenId: Uuid }), answer: TokenOut, problems: [400, 401, 403, 404] },
      'Revoke an API token',
    ),
    async (request) => tokens.revokeToken(deps(), request.actor, request.params.orgId, request.params.tokenId),
  );
};
