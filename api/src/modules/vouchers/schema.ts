import { Type } from 'typebox';
import { voucherApplicationStatus, voucherClaimStatus, voucherProgrammeStatus } from '@qihub/db';
import { DateTime, ListQuery, LocalDate, Money, Nullable, Page, ServiceKind, Uuid } from '../../lib/schema.ts';

/** Money the caller sends: integer fen in CNY (the only currency vouchers are granted in). */
export const MoneyIn = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: 100_000_000_000, description: 'Integer fen' }),
    currency: Type.Literal('CNY'),
  },
  { additionalProperties: false },
);

const NamedOrg = Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() });

const programmeFields = {
  nameZh: Type.String({ minLength: 1, maxLength: 200 }),
  nameEn: Type.String({ maxLength: 200 }),
  shareBp: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    description: 'Share of the fee paid, basis points (5000 = 50 %)',
  }),
  cap: MoneyIn,
  eligibleKinds: Type.Array(ServiceKind, { minItems: 1, maxItems: 20, uniqueItems: true }),
  validFrom: LocalDate,
  validTo: LocalDate,
};

export const ProgrammeCreate = Type.Object(
  {
    ...programmeFields,
    nameEn: Type.Optional(programmeFields.nameEn),
    issuerOrgId: Type.Optional({ ...Uuid, description: 'The platform running it; the admin’s own when they have one' }),
  },
  { $id: 'VoucherProgrammeCreate', additionalProperties: false },
);

export const ProgrammePatch = Type.Partial(
  Type.Object({ ...programmeFields, status: Type.Enum(voucherProgrammeStatus.enumValues) }),
  { $id: 'VoucherProgrammePatch', additionalProperties: false, minProperties: 1 },
);

export const ProgrammeOut = Type.Object(
  {
    id: Uuid,
    issuer: NamedOrg,
    regionCode: Type.String(),
    nameZh: Type.String(),
    nameEn: Type.String(),
    shareBp: Type.Integer(),
    cap: Money,
    eligibleKinds: Type.Array(ServiceKind),
    validFrom: LocalDate,
    validTo: LocalDate,
    status: Type.Enum(voucherProgrammeStatus.enumValues),
    createdAt: DateTime,
  },
  { $id: 'VoucherProgramme' },
);
export const ProgrammeList = Page(ProgrammeOut);

export const ApplicationCreate = Type.Object(
  {
    programmeId: Uuid,
    amount: MoneyIn,
    purpose: Type.String({ minLength: 1, maxLength: 2000 }),
    enterpriseOrgId: Type.Optional({
      ...Uuid,
      description: 'The applying enterprise; the caller’s own when they have one',
    }),
  },
  { $id: 'VoucherApplicationCreate', additionalProperties: false },
);

export const ApplicationOut = Type.Object(
  {
    id: Uuid,
    programme: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String(), shareBp: Type.Integer() }),
    enterprise: NamedOrg,
    year: Type.Integer(),
    requested: Money,
    purpose: Type.String(),
    status: Type.Enum(voucherApplicationStatus.enumValues),
    quota: Money,
    remaining: Money,
    reason: Nullable(Type.String()),
    decidedAt: Nullable(DateTime),
    createdAt: DateTime,
  },
  { $id: 'VoucherApplication' },
);
export const ApplicationList = Page(ApplicationOut);
export const ApplicationQuery = Type.Object(
  { ...ListQuery, status: Type.Optional(Type.Enum(voucherApplicationStatus.enumValues)) },
  { additionalProperties: false },
);

export const ApproveApplication = Type.Object({ quota: MoneyIn }, { additionalProperties: false });
export const Reason = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const MyVouchers = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        applicationId: Uuid,
        programme: Type.Object({
          id: Uuid,
          nameZh: Type.String(),
          nameEn: Type.String(),
          shareBp: Type.Integer(),
          eligibleKinds: Type.Array(ServiceKind),
          validFrom: LocalDate,
          validTo: LocalDate,
        }),
        enterprise: NamedOrg,
        year: Type.Integer(),
        quota: Money,
        remaining: Money,
      }),
    ),
  },
  { $id: 'MyVouchers' },
);

export const UseVoucher = Type.Object({ applicationId: Uuid }, { additionalProperties: false });
export const VoucherUseOut = Type.Object(
  {
    id: Uuid,
    invoiceId: Uuid,
    applicationId: Uuid,
    voucherShare: Money,
    selfPaid: Money,
    remaining: Money,
  },
  { $id: 'VoucherUse' },
);

export const ClaimCreate = Type.Object({ invoiceId: Uuid }, { additionalProperties: false });
export const ClaimOut = Type.Object(
  {
    id: Uuid,
    programme: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() }),
    labId: Uuid,
    invoiceId: Uuid,
    amount: Money,
    paid: Money,
    status: Type.Enum(voucherClaimStatus.enumValues),
    reason: Nullable(Type.String()),
    submittedAt: DateTime,
    decidedAt: Nullable(DateTime),
    paidAt: Nullable(DateTime),
    evidenceUrl: Type.String(),
  },
  { $id: 'VoucherClaim' },
);
export const ClaimList = Page(ClaimOut);
export const ClaimQuery = Type.Object(
  { ...ListQuery, status: Type.Optional(Type.Enum(voucherClaimStatus.enumValues)) },
  { additionalProperties: false },
);
export const ClaimPaymentCreate = Type.Object(
  { amount: MoneyIn, receivedOn: LocalDate, note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const LabParams = Type.Object({ labId: Uuid });
export const LabClaimParams = Type.Object({ labId: Uuid, id: Uuid });
