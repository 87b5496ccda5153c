import { Type } from 'typebox';
import { DateTime, EnterpriseSize, ListQuery, Nullable, Page, Uuid } from '../../lib/schema.ts';

const NamedRef = Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() });

export const OfficerAssign = Type.Object(
  { officerUserId: Uuid },
  { $id: 'OfficerAssign', additionalProperties: false },
);

export const EnterpriseOfficerOut = Type.Object(
  {
    enterprise: NamedRef,
    /** null while the enterprise has no named officer. */
    officer: Nullable(
      Type.Object({ id: Uuid, name: Type.String(), phone: Nullable(Type.String()), email: Type.String() }),
    ),
    platform: Nullable(NamedRef),
    assignedAt: Nullable(DateTime),
  },
  { $id: 'EnterpriseOfficer' },
);

export const OfficerEnterpriseList = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Uuid,
        nameZh: Type.String(),
        nameEn: Type.String(),
        regionCode: Type.String(),
        contactPhone: Nullable(Type.String()),
        assignedAt: DateTime,
        openAssistance: Type.Integer(),
        openOrders: Type.Integer(),
      }),
    ),
  },
  { $id: 'OfficerEnterpriseList' },
);

export const OfficerRequestQuery = Type.Object(
  {
    enterpriseId: Type.Optional(Uuid),
    kind: Type.Optional(Type.Union([Type.Literal('assistance'), Type.Literal('order')])),
  },
  { additionalProperties: false },
);

export const OfficerRequestList = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Uuid,
        kind: Type.Union([Type.Literal('assistance'), Type.Literal('order')]),
        /** The order number; null for assistance requests. */
        number: Nullable(Type.String()),
        title: Type.String(),
        status: Type.String(),
        enterprise: NamedRef,
        createdAt: DateTime,
        updatedAt: DateTime,
      }),
    ),
  },
  { $id: 'OfficerRequestList' },
);

export const RegionEnterpriseQuery = Type.Object(
  {
    region: Type.Optional(
      Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 code; default the admin’s own' }),
    ),
    ...ListQuery,
  },
  { additionalProperties: false },
);

export const RegionEnterpriseList = Page(
  Type.Object({
    id: Uuid,
    nameZh: Type.String(),
    nameEn: Type.String(),
    creditCode: Nullable(Type.String()),
    regionCode: Type.String(),
    size: Nullable(EnterpriseSize),
    industryCode: Nullable(Type.String({ description: 'GB/T 4754-2017 section letter' })),
    createdAt: DateTime,
    officer: Nullable(Type.Object({ id: Uuid, name: Type.String(), email: Type.String() })),
    platform: Nullable(NamedRef),
  }),
);

export const ServiceOfficerList = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Uuid,
        name: Type.String(),
        email: Type.String(),
        platform: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String(), regionCode: Type.String() }),
      }),
    ),
  },
  { $id: 'ServiceOfficerList' },
);
