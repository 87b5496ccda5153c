import { Type } from 'typebox';
import { LabType, ListQuery, LocalDate, Nullable, QualificationKind, RegionCode, Uuid } from '../../lib/schema.ts';

export const LabDetail = Type.Object(
  {
    id: Uuid,
    nameZh: Type.String(),
    nameEn: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('suspended')]),
    labType: Nullable(LabType),
    descriptionZh: Type.String(),
    descriptionEn: Type.String(),
    regionCode: Type.String(),
    cityZh: Nullable(Type.String()),
    cityEn: Nullable(Type.String()),
    contactPhone: Nullable(Type.String()),
    contactEmail: Nullable(Type.String()),
    website: Nullable(Type.String()),
    sites: Type.Array(
      Type.Object({
        id: Uuid,
        nameZh: Type.String(),
        nameEn: Type.String(),
        timeZone: Type.String(),
        regionCode: Type.String(),
        addressZh: Type.String(),
        addressEn: Type.String(),
      }),
    ),
    qualifications: Type.Array(
      Type.Object({
        id: Uuid,
        kind: QualificationKind,
        number: Type.String(),
        issuedOn: LocalDate,
        validUntil: LocalDate,
        valid: Type.Boolean(),
        scope: Type.Array(
          Type.Object({
            productZh: Type.String(),
            parameterZh: Type.String(),
            parameterEn: Type.String(),
            standardCode: Type.String(),
          }),
        ),
      }),
    ),
    instrumentCount: Type.Integer(),
    serviceCount: Type.Integer(),
  },
  { $id: 'LabDetail' },
);

export const LabMemberList = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Uuid,
        name: Type.String(),
        role: Type.Union([Type.Literal('manager'), Type.Literal('staff'), Type.Literal('operator')]),
      }),
    ),
  },
  { $id: 'LabMemberList' },
);

export const ScopeSearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: '\\S',
    description: 'A standard number (GB/T 10125, or just 10125) or a parameter (中性盐雾), Chinese or English',
  }),
  region: Type.Optional(RegionCode),
  ...ListQuery,
});

export const ScopeSearchPage = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Uuid,
        nameZh: Type.String(),
        nameEn: Type.String(),
        labType: Nullable(LabType),
        regionCode: Type.String(),
        cityZh: Nullable(Type.String()),
        cityEn: Nullable(Type.String()),
        matches: Type.Array(
          Type.Object({
            kind: QualificationKind,
            number: Type.String(),
            validUntil: LocalDate,
            productZh: Type.String(),
            parameterZh: Type.String(),
            parameterEn: Type.String(),
            standardCode: Type.String(),
          }),
        ),
      }),
    ),
    nextCursor: Nullable(Type.String()),
  },
  { $id: 'ScopeSearchPage' },
);
