import { Type } from 'typebox';
import { fapiaoRequestStatus, fapiaoType } from '@qihub/db';
import { DateTime, ListQuery, LocalDate, Money, Nullable, Page, Uuid } from '../../lib/schema.ts';

const FapiaoType = Type.Enum(fapiaoType.enumValues, { description: 'normal = 普通发票; special = 增值税专用发票' });
const Status = Type.Enum(fapiaoRequestStatus.enumValues);
const Text = (max: number, description?: string) =>
  Type.String({ maxLength: max, ...(description ? { description } : {}) });

export const OrgIdParams = Type.Object({ orgId: Uuid });
export const LabIdParams = Type.Object({ labId: Uuid });
export const LabRequestParams = Type.Object({ labId: Uuid, id: Uuid });

const titleFields = {
  name: Type.String({ minLength: 1, maxLength: 200, description: '购买方名称' }),
  taxpayerNumber: Type.String({
    maxLength: 40,
    description: '纳税人识别号: the 18-character unified social credit code (its check character is verified)',
  }),
  address: Text(300, '地址'),
  phone: Text(50, '电话'),
  bankName: Text(200, '开户行'),
  bankAccount: Text(50, '账号'),
};

export const FapiaoTitleIn = Type.Object(
  {
    type: FapiaoType,
    name: titleFields.name,
    taxpayerNumber: titleFields.taxpayerNumber,
    address: Type.Optional(titleFields.address),
    phone: Type.Optional(titleFields.phone),
    bankName: Type.Optional(titleFields.bankName),
    bankAccount: Type.Optional(titleFields.bankAccount),
  },
  { $id: 'FapiaoTitleInput', additionalProperties: false },
);

export const FapiaoTitleOut = Type.Object(
  {
    orgId: Uuid,
    saved: Type.Boolean({ description: 'false: not saved yet, a draft from the registered name and credit code' }),
    type: FapiaoType,
    name: Type.String(),
    taxpayerNumber: Type.String(),
    address: Type.String(),
    phone: Type.String(),
    bankName: Type.String(),
    bankAccount: Type.String(),
    completeFor: Type.Array(FapiaoType, { description: 'The types of fapiao this title has every field for' }),
    updatedAt: Nullable(DateTime),
  },
  { $id: 'FapiaoTitle' },
);

export const FapiaoRequestIn = Type.Object(
  {
    type: Type.Optional(FapiaoType),
    note: Type.Optional(Text(200, '备注 for the fapiao')),
  },
  { $id: 'FapiaoRequestInput', additionalProperties: false },
);

export const FapiaoIssuedIn = Type.Object(
  {
    fapiaoNumber: Type.String({
      pattern: '^([0-9]{8}|[0-9]{20})$',
      description: '发票号码 as the tax system gave it: 20 digits (全电发票) or 8 (older fapiao)',
    }),
    issuedOn: LocalDate,
    note: Type.Optional(Text(200)),
  },
  { $id: 'FapiaoIssuedInput', additionalProperties: false },
);

export const FapiaoRejectIn = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { $id: 'FapiaoRejectInput', additionalProperties: false },
);

const NamedOrg = Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() });

export const FapiaoRequestOut = Type.Object(
  {
    id: Uuid,
    invoiceId: Uuid,
    invoiceNumber: Type.String(),
    lab: NamedOrg,
    customer: NamedOrg,
    type: FapiaoType,
    status: Status,
    title: Type.Object(
      {
        name: Type.String(),
        taxpayerNumber: Type.String(),
        address: Type.String(),
        phone: Type.String(),
        bankName: Type.String(),
        bankAccount: Type.String(),
      },
      { description: 'The invoice title as it was when the fapiao was requested' },
    ),
    amount: Money,
    tax: Money,
    amountExcludingTax: Money,
    taxRates: Type.Array(Type.Number({ description: 'e.g. 0.06' })),
    note: Type.String(),
    requestedAt: DateTime,
    fapiaoNumber: Nullable(Type.String()),
    issuedOn: Nullable(LocalDate),
    labNote: Type.String(),
    rejectReason: Nullable(Type.String()),
    decidedAt: Nullable(DateTime),
    taxSystem: Type.Literal('recorded_by_lab', {
      description:
        'QIHub does not connect to the tax system: the lab issues the fapiao there and records its number and date here.',
    }),
  },
  { $id: 'FapiaoRequest' },
);

export const FapiaoRequestList = Page(FapiaoRequestOut);

export const LabRequestQuery = Type.Object(
  { ...ListQuery, status: Type.Optional(Status) },
  { additionalProperties: false },
);

export const CustomerRequestQuery = Type.Object(
  { ...ListQuery, status: Type.Optional(Status), invoiceId: Type.Optional(Uuid) },
  { additionalProperties: false },
);

export const ExportQuery = Type.Object({ status: Type.Optional(Status) }, { additionalProperties: false });
