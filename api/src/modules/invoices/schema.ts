import { Type } from 'typebox';
import { invoiceStatus } from '@qihub/db';
import { DateTime, ListQuery, LocalDate, Money, Nullable, Page, Uuid } from '../../lib/schema.ts';

const NamedOrg = Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() });

export const InvoiceOut = Type.Object(
  {
    id: Uuid,
    number: Type.String({ description: 'ZD-2026-000001; a credit note HZ-2026-000002 (gapless per lab and year)' }),
    kind: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')]),
    creditsInvoiceId: Nullable(Uuid),
    status: Type.Enum(invoiceStatus.enumValues),
    labId: Uuid,
    customerOrgId: Uuid,
    lab: NamedOrg,
    customer: NamedOrg,
    terms: Type.Union([Type.Literal('prepay'), Type.Literal('on_delivery'), Type.Literal('monthly')]),
    lines: Type.Array(
      Type.Object({
        description: Type.String(),
        descriptionEn: Type.String(),
        amount: Money,
        taxRate: Type.Number({ description: 'VAT rate included in the amount, e.g. 0.06' }),
        source: Type.Object({ kind: Type.String(), id: Uuid, charge: Type.String() }),
      }),
    ),
    total: Money,
    tax: Money,
    voucherShare: Money,
    amountPaid: Money,
    amountCredited: Money,
    amountDue: Money,
    issuedAt: DateTime,
    dueDate: LocalDate,
    paidAt: Nullable(DateTime),
    overdue: Type.Boolean(),
    paymentReference: Type.String({ description: '付款识别码: write it in the transfer’s remark' }),
    payee: Type.Object({ accountName: Type.String(), bankName: Type.String(), accountNumber: Type.String() }),
    reason: Nullable(Type.String()),
    payments: Type.Array(
      Type.Object({
        id: Uuid,
        channel: Type.String(),
        amount: Money,
        receivedOn: LocalDate,
        note: Type.String(),
      }),
    ),
  },
  { $id: 'Invoice' },
);

export const InvoiceList = Page(InvoiceOut);

export const InvoiceQuery = Type.Object(
  {
    ...ListQuery,
    status: Type.Optional(Type.Enum(invoiceStatus.enumValues)),
    labId: Type.Optional(Uuid),
    customerOrgId: Type.Optional(Uuid),
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
  },
  { additionalProperties: false },
);

const Terms = Type.Union([Type.Literal('prepay'), Type.Literal('on_delivery'), Type.Literal('monthly')], {
  description:
    'prepay: the order waits in `accepted` until paid; on_delivery: the report PDF is released when paid; monthly: 月结',
});
const Days = Type.Integer({ minimum: 0, maximum: 365 });
const Payee = Type.Object(
  {
    accountName: Type.String({ maxLength: 200, description: '户名: the lab’s own account' }),
    bankName: Type.String({ maxLength: 200, description: '开户行' }),
    accountNumber: Type.String({ maxLength: 64, pattern: '^[0-9 ]*$', description: '账号: digits, spaces allowed' }),
  },
  { additionalProperties: false },
);

export const LabParams = Type.Object({ labId: Uuid });
export const LabCustomerParams = Type.Object({ labId: Uuid, customerOrgId: Uuid });

export const BillingSettingsBody = Type.Object(
  {
    terms: Terms,
    dueDays: Days,
    monthlyDueDays: Days,
    taxRateBp: Type.Integer({ minimum: 0, maximum: 2000, description: 'VAT in basis points (600 = 6 %)' }),
    payee: Payee,
  },
  { additionalProperties: false },
);

export const BillingSettingsOut = Type.Object(
  {
    terms: Terms,
    dueDays: Type.Integer(),
    monthlyDueDays: Type.Integer(),
    taxRateBp: Type.Integer(),
    payee: Type.Object({ accountName: Type.String(), bankName: Type.String(), accountNumber: Type.String() }),
    isDefault: Type.Boolean({ description: 'true while the lab has saved none (the defaults apply)' }),
  },
  { $id: 'BillingSettings' },
);

export const CustomerTermsBody = Type.Object(
  {
    terms: Terms,
    dueDays: Type.Optional(Nullable(Days)),
  },
  { additionalProperties: false },
);

export const CustomerTermsOut = Type.Object(
  {
    customerOrgId: Uuid,
    customer: NamedOrg,
    terms: Terms,
    dueDays: Nullable(Type.Integer({ description: 'null: the lab’s default days for these terms' })),
    updatedAt: DateTime,
  },
  { $id: 'CustomerTerms' },
);

export const CustomerTermsList = Type.Object({ items: Type.Array(CustomerTermsOut) });

export const PaymentBody = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: 100_000_000_000, description: 'fen received' }),
    receivedOn: LocalDate,
    channel: Type.Union([Type.Literal('bank_transfer'), Type.Literal('manual')]),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const VoidBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    then: Type.Optional(
      Type.Union([Type.Literal('reissue'), Type.Literal('release')], {
        description:
          'What becomes of the charges: reissue — a corrected invoice (new number) on the same terms; release — billed without prepayment (monthly account, else payable on delivery) and waiting orders go on. Without it they are forgiven; required while an order waits in accepted for this prepay invoice (409 order_awaits_invoice)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** As on the other creating POSTs: a repeat under the same key gets the first answer. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
});
