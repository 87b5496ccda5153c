import { Type } from 'typebox';
import { DateTime, ListQuery, Money, Nullable, Page, Uuid } from '../../lib/schema.ts';
import { CHANNELS, MONTH_PATTERN } from './figures.ts';

export const Month = Type.String({ pattern: MONTH_PATTERN, description: 'YYYY-MM, a month in Asia/Shanghai' });

export const LabMonthParams = Type.Object({ labId: Uuid, month: Month });
export const LabParams = Type.Object({ labId: Uuid });
export const CustomerMonthParams = Type.Object({ orgId: Uuid, month: Month });

const Format = Type.Optional(
  Type.Union([Type.Literal('json'), Type.Literal('pdf'), Type.Literal('xlsx')], {
    description: 'json (default), pdf or xlsx; without it the Accept header decides',
  }),
);
export const FormatQuery = Type.Object({ format: Format }, { additionalProperties: false });
export const CustomerStatementQuery = Type.Object({ labId: Uuid, format: Format }, { additionalProperties: false });
export const StatementListQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

const Count = Type.Integer({ minimum: 0 });
const Named = Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() });

export const StatementOut = Type.Object(
  {
    kind: Type.Union([Type.Literal('lab'), Type.Literal('customer')]),
    month: Type.String(),
    provisional: Type.Optional(
      Type.Boolean({ description: 'The running month so far (暂定): rebuilt on each request, never stored' }),
    ),
    asOf: Type.Optional(Type.String({ format: 'date-time' })),
    period: Type.Object({ from: Type.String(), to: Type.String(), timeZone: Type.String() }),
    currency: Type.String(),
    lab: Named,
    customer: Nullable(Named),
    bookings: Type.Object({
      count: Count,
      bookedMinutes: Count,
      usedMinutes: Count,
      usedHours: Type.Number(),
      completed: Count,
      noShows: Count,
      cancelled: Count,
      billed: Money,
      instruments: Type.Array(
        Type.Object({
          id: Uuid,
          nameZh: Type.String(),
          nameEn: Type.String(),
          bookings: Count,
          bookedMinutes: Count,
          usedMinutes: Count,
          usedHours: Type.Number(),
          completed: Count,
          noShows: Count,
          cancelled: Count,
          billed: Money,
        }),
      ),
    }),
    orders: Type.Object({
      accepted: Type.Object({ count: Count, amount: Money }),
      completed: Type.Object({ count: Count, amount: Money }, { description: 'Report issued in the month' }),
      cancelled: Type.Object({ count: Count, fees: Money }),
    }),
    invoices: Type.Object({
      issued: Type.Object({ count: Count, amount: Money }),
      creditNotes: Type.Object({ count: Count, amount: Money }),
      net: {
        ...Money,
        description:
          'Invoiced less credited (credit notes are negative): below zero in a month that credited more than it invoiced',
      },
      items: Type.Array(
        Type.Object({
          number: Type.String(),
          kind: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')]),
          issuedOn: Type.String(),
          dueDate: Type.String(),
          customer: Type.Object({ id: Uuid, nameZh: Type.String() }),
          total: Money,
          voucherShare: Money,
        }),
      ),
    }),
    payments: Type.Object({
      total: Money,
      byChannel: Type.Array(
        Type.Object({ channel: Type.Union(CHANNELS.map((c) => Type.Literal(c))), count: Count, amount: Money }),
      ),
    }),
    vouchers: Nullable(Type.Object({ claimed: Money, paid: Money })),
    platformFee: Nullable(Money),
    receivables: Type.Object({ opening: Money, closing: Money }),
  },
  { $id: 'Statement', description: 'A month’s statement (对账单); the PDF and XLSX show the same figures' },
);

export const StatementSummaryOut = Type.Object(
  {
    month: Type.String(),
    builtAt: DateTime,
    sha256: Type.Object({ json: Type.String(), pdf: Type.String(), xlsx: Type.String() }),
  },
  { $id: 'StatementSummary' },
);

export const StatementList = Page(StatementSummaryOut);
