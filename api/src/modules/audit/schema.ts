import { Type } from 'typebox';
import { DateTime, ListQuery, LocalDate, Nullable, Page, RegionCode, Uuid } from '../../lib/schema.ts';

export const AuditQuery = Type.Object({
  actor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'A user id, or part of the actor’s email or name' }),
  ),
  orgId: Type.Optional({ ...Uuid, description: 'The organisation the entry is about, or acted for' }),
  entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  action: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: '`order` finds every order.* action; `order.accepted` itself',
    }),
  ),
  from: Type.Optional({ ...LocalDate, description: 'First day (inclusive), Asia/Shanghai' }),
  to: Type.Optional({ ...LocalDate, description: 'Last day (inclusive), Asia/Shanghai' }),
  format: Type.Optional(
    Type.Enum(['json', 'csv'], { description: 'csv: every matching entry (up to 50,000), UTF-8 with a BOM for Excel' }),
  ),
  ...ListQuery,
});

const OrgRef = Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() });

export const AuditEntryOut = Type.Object(
  {
    id: Type.String({ pattern: '^[0-9]+$' }),
    at: DateTime,
    actor: Type.Object({
      kind: Type.String({ description: 'user, api_token or system' }),
      userId: Nullable(Uuid),
      email: Nullable(Type.String()),
      name: Nullable(Type.String()),
      org: Nullable(OrgRef),
    }),
    action: Type.String(),
    entityType: Type.String(),
    entityId: Type.String(),
    org: Nullable(Type.Object({ ...OrgRef.properties, regionCode: RegionCode })),
    before: Type.Unknown(),
    after: Type.Unknown(),
    requestId: Nullable(Type.String()),
  },
  { $id: 'AuditEntry' },
);

export const AuditPage = Page(AuditEntryOut);
export const AuditIdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
