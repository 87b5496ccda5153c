import { Type } from 'typebox';
import { DateTime, IdParams, LocalDate, Money, Nullable, Uuid } from '../../lib/schema.ts';

export { IdParams };

export const ReconciliationQuery = Type.Object({ from: LocalDate, to: LocalDate }, { additionalProperties: false });

export const ResolveBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 2000, description: 'How it was resolved' }) },
  { additionalProperties: false },
);

export const DiscrepancyOut = Type.Object(
  {
    id: Uuid,
    kind: Type.String({
      description:
        'booking_not_invoiced, booking_overrun, invoice_overdue, bank_line_unmatched, voucher_claim_waiting (filed, undecided after 20 days), voucher_claim_unpaid (approved, not paid 30 days later)',
    }),
    labId: Uuid,
    subject: Type.Object({
      kind: Type.String({ description: 'booking, invoice, bank_line, voucher_claim' }),
      id: Uuid,
    }),
    link: Type.String({ description: 'Path in the web app where the subject is worked on' }),
    detectedAt: DateTime,
    resolvedAt: Nullable(DateTime),
    resolvedBy: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
    note: Nullable(Type.String()),
    amount: Type.Union([Money, Type.Null()], {
      description:
        'What it is about: a booking’s billed amount, an invoice’s amount still due, a bank line’s credit, what a programme still owes on a claim',
    }),
    date: Type.Union([LocalDate, Type.Null()], {
      description:
        'The date that matters (China): the booking’s day, the invoice’s due date, the transfer’s date, the claim’s filing or approval date',
    }),
    reference: Nullable(Type.String({ description: 'The invoice number, the bank line’s payer, the instrument' })),
  },
  { $id: 'Discrepancy' },
);

export const ReconciliationOut = Type.Object(
  {
    from: LocalDate,
    to: LocalDate,
    timeZone: Type.String(),
    labs: Type.Array(
      Type.Object({
        lab: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String(), regionCode: Type.String() }),
        bookedMinutes: Type.Integer(),
        usedMinutes: Type.Integer(),
        billed: Money,
        invoiced: Money,
        paid: Type.Object({
          total: Money,
          byChannel: Type.Array(Type.Object({ channel: Type.String(), amount: Money })),
        }),
        vouchers: Type.Object({ claimed: Nullable(Money), approved: Nullable(Money), paid: Nullable(Money) }),
        outstanding: Type.Object({
          total: Money,
          notDue: Money,
          days0to30: Money,
          days31to60: Money,
          days61to90: Money,
          over90: Money,
        }),
        openDiscrepancies: Type.Integer(),
      }),
    ),
    discrepancies: Type.Array(DiscrepancyOut),
  },
  { $id: 'Reconciliation' },
);
