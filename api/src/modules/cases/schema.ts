import { Type, type Static } from 'typebox';
import { DateTime, Nullable, Uuid } from '../../lib/schema.ts';

/** Text a person writes: something visible, not only spaces. */
const Written = (max: number, description?: string) =>
  Type.String({ minLength: 1, maxLength: max, pattern: '\\S', ...(description ? { description } : {}) });

const fields = {
  title: Written(120, 'A headline, e.g. 盐雾试验帮助企业通过出口认证'),
  enterpriseName: Written(
    120,
    'The enterprise as it may be published: its name or a description such as 苏州某精密零部件企业',
  ),
  industry: Type.String({ maxLength: 60 }),
  problem: Written(4000, 'The problem the enterprise had'),
  service: Written(4000, 'The service given (testing, metrology, standards, assistance …)'),
  result: Written(4000, 'What changed for the enterprise'),
  costSavedFen: Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000_000, description: 'Cost saved, fen' })),
  timeSavedDays: Nullable(Type.Integer({ minimum: 0, maximum: 3650, description: 'Time saved, days' })),
  notes: Type.String({ maxLength: 4000, description: 'Other figures and remarks, free text' }),
};

export const CaseFieldsIn = Type.Object(fields, { additionalProperties: false });
export const CaseCreate = Type.Object(
  { orgId: { ...Uuid, description: 'The lab or platform the case is written for' }, ...fields },
  { additionalProperties: false },
);
export const CasePatch = Type.Partial(CaseFieldsIn, { additionalProperties: false, minProperties: 1 });
export type CaseCreateBody = Static<typeof CaseCreate>;
export type CasePatchBody = Static<typeof CasePatch>;

export const CaseStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('submitted'),
  Type.Literal('returned'),
  Type.Literal('published'),
]);

const Provider = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('lab'), Type.Literal('platform'), Type.Literal('enterprise')]),
  nameZh: Type.String(),
  nameEn: Type.String(),
});

/** The case as its author and the reviewing administrator see it. */
export const CaseOut = Type.Object({
  id: Uuid,
  status: CaseStatus,
  regionCode: Type.String(),
  provider: Provider,
  ...fields,
  title: Type.String(),
  enterpriseName: Type.String(),
  problem: Type.String(),
  service: Type.String(),
  result: Type.String(),
  returnReason: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
  submittedAt: Nullable(DateTime),
  publishedAt: Nullable(DateTime),
});
export const CaseList = Type.Object({ items: Type.Array(CaseOut) });

/** What the public reads: the write-up and who gave the service, nothing of the review or of people. */
export const PublicCaseOut = Type.Object({
  id: Uuid,
  regionCode: Type.String(),
  provider: Type.Object({ nameZh: Type.String(), nameEn: Type.String() }),
  title: Type.String(),
  enterpriseName: Type.String(),
  industry: Type.String(),
  problem: Type.String(),
  service: Type.String(),
  result: Type.String(),
  costSavedFen: Nullable(Type.Integer()),
  timeSavedDays: Nullable(Type.Integer()),
  notes: Type.String(),
  publishedAt: DateTime,
});

export const ReturnBody = Type.Object(
  { reason: Written(1000, 'What the author should change') },
  { additionalProperties: false },
);
export const AdminCaseQuery = Type.Object({ status: Type.Optional(CaseStatus) });
export const PublicCaseQuery = Type.Object({
  region: Type.Optional(
    Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 code: only cases of this region' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
});
