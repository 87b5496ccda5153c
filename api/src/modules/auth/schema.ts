import { Type } from 'typebox';
import { DateTime, EnterpriseSize, IndustryCode, LabType, RegionCode, Uuid } from '../../lib/schema.ts';

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { $id: 'LoginRequest', additionalProperties: false },
);

export const MembershipOut = Type.Object(
  {
    orgId: Uuid,
    orgKind: Type.Union([Type.Literal('enterprise'), Type.Literal('lab'), Type.Literal('platform')]),
    orgNameZh: Type.String(),
    orgNameEn: Type.String(),
    orgStatus: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('suspended')]),
    role: Type.String(),
    /** The organisation's GB/T 2260 region: a platform's is the scope of its staff. */
    regionCode: Type.String(),
    /** The organisation books or orders as a customer (every enterprise; a lab or platform once it has). */
    booksAsCustomer: Type.Boolean(),
  },
  { $id: 'Membership' },
);

export const Me = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    displayName: Type.String(),
    locale: Type.String(),
    memberships: Type.Array(MembershipOut),
  },
  { $id: 'Me', title: 'Me' },
);

export const SessionOut = Type.Object({ token: Type.String(), expiresAt: DateTime, user: Me }, { $id: 'Session' });

export const RegisterBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('enterprise'), Type.Literal('lab')]),
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 10, maxLength: 200 }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    locale: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
    organisation: Type.Object(
      {
        nameZh: Type.String({ minLength: 2, maxLength: 200 }),
        nameEn: Type.Optional(Type.String({ maxLength: 200 })),
        creditCode: Type.String({ minLength: 1, maxLength: 30, description: '统一社会信用代码 (18 characters)' }),
        regionCode: RegionCode,
        labType: Type.Optional(LabType),
        /** Enterprises: size class and industry, for the programme's statistics (附件2). */
        size: Type.Optional(EnterpriseSize),
        industryCode: Type.Optional(IndustryCode),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'RegisterRequest', additionalProperties: false },
);
