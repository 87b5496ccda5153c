import { Type } from 'typebox';
import { invoiceStatus } from '@qihub/db';
import { ListQuery, Money, RegionCode, Uuid } from '../../lib/schema.ts';
import { InvoiceOut } from '../invoices/index.ts';

const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM, a month in Asia/Shanghai' });

export const LabParams = Type.Object({ labId: Uuid });
export const FeeIdParams = Type.Object({ id: Uuid });

export const FeeInvoiceOut = Type.Object(
  {
    month: Type.String({ description: 'The month whose receipts are the base (YYYY-MM)' }),
    regionCode: Type.String({ description: 'The region whose rate applied' }),
    rateBp: Type.Integer({ description: 'The rate, basis points (1/100 %)' }),
    base: Money,
    invoice: InvoiceOut,
  },
  { $id: 'PlatformFeeInvoice' },
);

export const FeeInvoiceList = Type.Object({
  items: Type.Array(FeeInvoiceOut),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const FeeInvoiceQuery = Type.Object(
  {
    ...ListQuery,
    status: Type.Optional(Type.Enum(invoiceStatus.enumValues)),
    month: Type.Optional(Month),
  },
  { additionalProperties: false },
);

export const FeeRateList = Type.Object(
  {
    scopes: Type.Array(
      Type.Object({
        regionCode: RegionCode,
        nameZh: Type.String(),
        rateBp: Type.Integer({ description: 'The rate in force for labs directly in this region' }),
      }),
      { description: 'The regions the admin administers' },
    ),
    items: Type.Array(
      Type.Object({
        regionCode: RegionCode,
        regionNameZh: Type.String(),
        rateBp: Type.Integer({ description: 'basis points (1/100 %)' }),
        updatedAt: Type.String({ format: 'date-time' }),
      }),
      { description: 'Every rate set in those regions and below' },
    ),
  },
  { $id: 'PlatformFeeRates' },
);
