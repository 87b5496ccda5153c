import { Type } from 'typebox';
import {
  DateTime,
  LabType,
  ListQuery,
  LocalDate,
  Nullable,
  QualificationKind,
  RegionCode,
  Uuid,
} from '../../lib/schema.ts';

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

export const LabRole = Type.Union([Type.Literal('manager'), Type.Literal('staff'), Type.Literal('operator')]);

export const LabMemberList = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Uuid,
        name: Type.String(),
        role: LabRole,
        /** Shown to the lab's managers only. */
        email: Nullable(Type.String()),
        since: DateTime,
      }),
    ),
    /** Open invitations to addresses with no account yet (managers only; empty for others). */
    invitations: Type.Array(
      Type.Object({
        id: Uuid,
        email: Type.String(),
        role: LabRole,
        createdAt: DateTime,
        invitedByName: Nullable(Type.String()),
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

export const MemberInvite = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254 }), role: LabRole },
  { additionalProperties: false },
);

export const MemberInviteResult = Type.Object(
  {
    /** `member`: an account with this address joined at once; `invited`: it joins when it registers or signs in. */
    status: Type.Union([Type.Literal('member'), Type.Literal('invited')]),
    userId: Nullable(Uuid),
    invitationId: Nullable(Uuid),
    email: Type.String(),
    role: LabRole,
  },
  { $id: 'MemberInviteResult' },
);

export const MemberRolePatch = Type.Object({ role: LabRole }, { additionalProperties: false });
export const MemberParams = Type.Object({ id: Uuid, userId: Uuid });
export const InvitationParams = Type.Object({ id: Uuid, invitationId: Uuid });
export const MemberRoleResult = Type.Object({ id: Uuid, role: LabRole }, { $id: 'MemberRoleResult' });

const ScopeLineIn = Type.Object(
  {
    productZh: Type.Optional(Type.String({ maxLength: 200 })),
    parameterZh: Type.String({ minLength: 1, maxLength: 200 }),
    parameterEn: Type.Optional(Type.String({ maxLength: 200 })),
    standardCode: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

export const QualificationCreate = Type.Object(
  {
    kind: QualificationKind,
    /** CMA: 12 digits; CNAS: "CNAS L1234". */
    number: Type.String({ minLength: 1, maxLength: 40 }),
    issuedOn: LocalDate,
    validUntil: LocalDate,
    /** 发证机关, e.g. 江苏省市场监督管理局 or 中国合格评定国家认可委员会. */
    issuingBody: Type.Optional(Type.String({ maxLength: 100 })),
    scope: Type.Array(ScopeLineIn, { maxItems: 500 }),
  },
  { additionalProperties: false },
);

export const QualificationPatch = Type.Object(
  {
    number: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    issuedOn: Type.Optional(LocalDate),
    validUntil: Type.Optional(LocalDate),
    issuingBody: Type.Optional(Type.String({ maxLength: 100 })),
    /** Replaces every scope line when given (so a line is added, changed or removed by sending the new list). */
    scope: Type.Optional(Type.Array(ScopeLineIn, { maxItems: 500 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const QualificationOut = Type.Object(
  {
    id: Uuid,
    kind: QualificationKind,
    number: Type.String(),
    /** 发证机关; empty when the lab has not entered it. */
    issuingBody: Type.String(),
    issuedOn: LocalDate,
    /** The last day it counts (inclusive); from the next day, China time, it gives no mark. */
    validUntil: LocalDate,
    /** Withdrawn by the lab from this day on (China time). */
    withdrawnOn: Nullable(LocalDate),
    state: Type.Union([
      Type.Literal('valid'),
      Type.Literal('expired'),
      Type.Literal('not_yet_valid'),
      Type.Literal('withdrawn'),
    ]),
    scope: Type.Array(
      Type.Object({
        productZh: Type.String(),
        parameterZh: Type.String(),
        parameterEn: Type.String(),
        standardCode: Type.String(),
      }),
    ),
    /** The certificate's scan, downloaded at `/v1/labs/{id}/qualifications/{qualificationId}/file`. */
    file: Nullable(
      Type.Object({ fileName: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer({ minimum: 0 }) }),
    ),
  },
  { $id: 'LabQualificationRecord' },
);
export const QualificationList = Type.Object(
  { items: Type.Array(QualificationOut) },
  { $id: 'LabQualificationRecordList' },
);
export const QualificationParams = Type.Object({ id: Uuid, qualificationId: Uuid });
