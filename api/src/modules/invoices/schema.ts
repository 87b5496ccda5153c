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
