import { SERVICE_KINDS } from '@qihub/db';
import { Type } from 'typebox';
import { LocalDate, Nullable } from '../../lib/schema.ts';

const Count = Type.Integer({ minimum: 0 });
const Fen = Type.Integer({ description: 'fen (CNY minor units)' });
const Hours = Type.Number({ minimum: 0, description: 'hours, two decimals' });

export const RegionRefOut = Type.Object({
  code: Type.String({ description: 'GB/T 2260 code' }),
  nameZh: Type.String(),
  nameEn: Type.String(),
  level: Type.Enum(['province', 'city', 'station']),
});

const figureFields = {
  enterprisesServed: Count,
  serviceTimes: Type.Integer({ minimum: 0, description: '家次: completed services to one enterprise each' }),
  microSmallShare: Nullable(
    Type.Number({ minimum: 0, maximum: 1, description: 'Of the enterprises served whose size is known' }),
  ),
  byKind: Type.Object(Object.fromEntries(SERVICE_KINDS.map((k) => [k, Count])), {
    description: 'Service times per service kind of the catalogue',
  }),
  instrumentsShared: Count,
  sharedMachineHours: Hours,
  externalServiceHours: Hours,
  ordersCompleted: Count,
  reportsIssued: Count,
  assistanceVisits: Count,
  problemsSolved: Count,
  trainingAttendees: Count,
  eventsHeld: Count,
  feesChargedFen: Fen,
  voucherAmountFen: Fen,
  costSavedFen: Fen,
  averageRating: Nullable(Type.Number({ minimum: 1, maximum: 5 })),
};

export const StatisticsQuery = Type.Object(
  {
    region: Type.Optional(
      Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 code; default the admin’s own' }),
    ),
    from: LocalDate,
    to: LocalDate,
    format: Type.Optional(Type.Enum(['json', 'xlsx', 'csv'])),
  },
  { additionalProperties: false },
);

export const StatisticsOut = Type.Object(
  {
    region: RegionRefOut,
    from: LocalDate,
    to: LocalDate,
    timeZone: Type.String(),
    ...figureFields,
    bySubRegion: Type.Array(Type.Object({ region: RegionRefOut, ...figureFields })),
    byMonth: Type.Array(Type.Object({ month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' }), ...figureFields })),
  },
  { $id: 'Statistics', title: 'Statistics' },
);
