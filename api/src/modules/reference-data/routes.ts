import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Nullable, problems, RegionCode, ServiceKind } from '../../lib/schema.ts';
import * as repo from './repository.ts';

const Stats = Type.Object({
  labs: Type.Integer(),
  enterprises: Type.Integer(),
  instruments: Type.Integer(),
  services: Type.Integer(),
  cities: Type.Integer(),
  byKind: Type.Array(Type.Object({ kind: ServiceKind, count: Type.Integer() })),
});
const Category = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  instrumentCount: Type.Integer(),
});
const Region = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  level: Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('station')]),
  parentCode: Nullable(Type.String()),
});

/** Reference data and headline figures for the storefront (read-only, public). */
export const referenceDataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/stats',
    { schema: { tags: ['catalogue'], summary: 'Headline figures of the catalogue', response: { 200: Stats } } },
    async () => repo.catalogueStats(app.ctx.db),
  );
  app.get(
    '/v1/categories',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Instrument categories with counts',
        response: { 200: Type.Object({ items: Type.Array(Category) }) },
      },
    },
    async () => ({ items: await repo.categoriesWithCounts(app.ctx.db) }),
  );
  app.get(
    '/v1/regions',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'GB/T 2260 regions known to the platform',
        querystring: Type.Object({
          level: Type.Optional(Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('station')])),
          parent: Type.Optional(RegionCode),
        }),
        response: { 200: Type.Object({ items: Type.Array(Region) }), ...problems(400) },
      },
    },
    async (request) => ({ items: await repo.listRegions(app.ctx.db, request.query.level, request.query.parent) }),
  );
};
