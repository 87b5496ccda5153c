import { Type } from 'typebox';
import { bankLineStatus } from '@qihub/db';
import { DateTime, ListQuery, LocalDate, Money, Nullable, Page, Uuid } from '../../lib/schema.ts';

export const LabParams = Type.Object({ labId: Uuid });
export const LineParams = Type.Object({ labId: Uuid, lineId: Uuid });
export const PlatformParams = Type.Object({ platformId: Uuid });
export const PlatformLineParams = Type.Object({ platformId: Uuid, lineId: Uuid });

export const StatementResult = Type.Object(
  {
    statementId: Uuid,
    lines: Type.Integer({ description: 'Credit lines in the file (preamble, totals and debits are not counted)' }),
    matched: Type.Integer({ description: 'New lines that paid invoices by their payment reference' }),
    suggested: Type.Integer({
      description: 'New lines whose amount and payer fit an open invoice: for a person to confirm',
    }),
    unmatched: Type.Integer({ description: 'New lines waiting in the queue' }),
    duplicates: Type.Integer({ description: 'Lines uploaded before: nothing changed' }),
  },
  { $id: 'BankStatementResult' },
);

export const BankLineOut = Type.Object(
  {
    id: Uuid,
    txnDate: LocalDate,
    counterparty: Type.String({ description: '对方户名' }),
    counterpartyAccount: Type.String({ description: '对方账号' }),
    amount: Money,
    remark: Type.String({ description: '摘要 / 附言 / 用途' }),
    status: Type.Enum(bankLineStatus.enumValues),
    suggestedInvoice: Nullable(
      Type.Object({
        id: Uuid,
        number: Type.String(),
        customer: Type.Object({ id: Uuid, nameZh: Type.String() }),
        amountDue: Money,
      }),
    ),
    payments: Type.Array(Type.Object({ invoiceId: Uuid, number: Type.String(), amount: Money })),
    note: Type.String(),
    resolvedAt: Nullable(DateTime),
  },
  { $id: 'BankLine' },
);

export const BankLineList = Page(BankLineOut);

export const BankLineQuery = Type.Object(
  {
    ...ListQuery,
    status: Type.Optional(
      Type.Enum(bankLineStatus.enumValues, {
        description: 'Without it: the queue (unmatched and suggested lines), oldest first',
      }),
    ),
  },
  { additionalProperties: false },
);

export const MatchBody = Type.Object({ invoiceId: Uuid }, { additionalProperties: false });
export const DismissBody = Type.Object(
  {
    note: Type.String({
      minLength: 1,
      maxLength: 500,
      pattern: '\\S',
      description: 'Why it is no customer payment (e.g. 利息)',
    }),
  },
  { additionalProperties: false },
);
