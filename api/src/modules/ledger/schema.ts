import { Type } from 'typebox';
import { LocalDate, Money, Nullable, Uuid } from '../../lib/schema.ts';

export const PeriodQuery = Type.Object(
  {
    from: LocalDate,
    to: LocalDate,
  },
  { additionalProperties: false },
);

export const LabIdParams = Type.Object({ labId: Uuid });

export const TrialBalanceOut = Type.Object(
  {
    accounts: Type.Array(
      Type.Object({
        book: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() }),
        code: Type.String({ description: 'Account code, e.g. receivable, revenue, vat_output, bank' }),
        name: Type.String({ description: 'Account name (zh-CN)' }),
        nameEn: Type.String(),
        counterparty: Nullable(Type.Object({ id: Uuid, nameZh: Type.String() })),
        debit: Money,
        credit: Money,
      }),
    ),
    totals: Type.Object({ debit: Money, credit: Money }),
  },
  { $id: 'TrialBalance' },
);
