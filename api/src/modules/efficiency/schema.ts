import { Type } from 'typebox';
import { DateTime, LocalDate, Nullable, RegionCode, ServiceKind, Uuid } from '../../lib/schema.ts';
import { FIGURES, GROUP_BY } from './evaluation.ts';

const Region = Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() });
const LabRef = Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() });
const Count = Type.Integer({ minimum: 0 });
const Share = Nullable(
  Type.Number({ minimum: 0, maximum: 1, description: 'A share 0..1; null when there is nothing to divide' }),
);
const Hours = Type.Number({ description: 'Hours, to 0.01' });

const RegionParam = Type.Optional(
  Type.Unsafe<string>({
    ...RegionCode,
    description: 'GB/T 2260 code inside the admin’s region; default: the admin’s own',
  }),
);

export const EfficiencyQuery = Type.Object(
  {
    region: RegionParam,
    from: LocalDate,
    to: LocalDate,
    groupBy: Type.Optional(Type.Enum(GROUP_BY, { description: 'lab (default), service kind, or sub-region' })),
  },
  { additionalProperties: false },
);

const Figures = Type.Object({
  ordersRequested: Count,
  ordersQuoted: Count,
  responseHoursMedian: Nullable(Hours),
  responseHoursP90: Nullable(Hours),
  reportsIssued: Count,
  turnaroundWorkingDaysMedian: Nullable(Type.Number()),
  turnaroundWorkingDaysP90: Nullable(Type.Number()),
  ordersWithDeadline: Count,
  ordersOnTime: Count,
  onTimeRate: Share,
  ordersRetested: Count,
  retestRate: Share,
  ordersWithUpheldObjection: Count,
  upheldObjectionRate: Share,
  ordersCancelled: Count,
  cancellationRate: Share,
  ratings: Count,
  averageRating: Nullable(Type.Number({ minimum: 1, maximum: 5 })),
});

const Figure = Type.Enum(FIGURES);

export const EfficiencyOut = Type.Object(
  {
    region: Region,
    from: LocalDate,
    to: LocalDate,
    timeZone: Type.String(),
    groupBy: Type.Enum(GROUP_BY),
    overall: Figures,
    groups: Type.Array(
      Type.Object({
        key: Type.String({
          description: 'The lab’s id, the service kind (none: an order without lines), or the sub-region’s code',
        }),
        nameZh: Nullable(Type.String()),
        nameEn: Nullable(Type.String()),
        figures: Figures,
      }),
    ),
    worst: Type.Array(Type.Object({ figure: Figure, value: Type.Number(), lab: LabRef }), {
      description:
        'Per figure, the labs that do worst on it (up to 3; a lab at the best possible value is no offender)',
    }),
  },
  { $id: 'Efficiency' },
);

export const FigureOrdersQuery = Type.Object(
  {
    region: RegionParam,
    from: LocalDate,
    to: LocalDate,
    figure: Figure,
    lab: Type.Optional(Uuid),
    kind: Type.Optional(Type.Union([ServiceKind, Type.Literal('none')])),
    subRegion: Type.Optional(RegionCode),
  },
  { additionalProperties: false },
);

export const FigureOrdersOut = Type.Object(
  {
    figure: Figure,
    total: Count,
    items: Type.Array(
      Type.Object({
        id: Uuid,
        number: Type.String(),
        status: Type.String(),
        lab: LabRef,
        customerNameZh: Type.String(),
        kind: Nullable(Type.String()),
        requestedAt: DateTime,
        firstQuotedAt: Nullable(DateTime),
        clockStartedAt: Nullable(DateTime),
        dueAt: Nullable(DateTime),
        reportIssuedAt: Nullable(DateTime),
        onTime: Nullable(Type.Boolean()),
        retestCount: Count,
        upheldObjections: Count,
        cancelledAt: Nullable(DateTime),
        rating: Nullable(Type.Integer()),
        value: Type.Number({
          description:
            'The order’s value in the figure: hours, working days, 1/0 (on time, cancelled), re-tests, upheld objections, score',
        }),
      }),
      { description: 'The worst first; at most 500' },
    ),
  },
  { $id: 'EfficiencyOrders' },
);

export const UtilisationQuery = Type.Object(
  { region: RegionParam, year: Type.Integer({ minimum: 2000, maximum: 2099 }) },
  { additionalProperties: false },
);

const Use = {
  effectiveHours: Hours,
  externalHours: Hours,
  internalHours: Hours,
  sharingRatio: Share,
};
const InstrumentOut = Type.Object({
  id: Uuid,
  nameZh: Type.String(),
  nameEn: Type.String(),
  model: Type.String(),
  status: Type.String(),
  lab: LabRef,
  bookings: Count,
  ...Use,
});

export const UtilisationOut = Type.Object(
  {
    region: Region,
    year: Type.Integer(),
    timeZone: Type.String(),
    totals: Type.Object({ instruments: Count, instrumentsBooked: Count, ...Use }),
    byMonth: Type.Array(Type.Object({ month: Type.Integer({ minimum: 1, maximum: 12 }), ...Use })),
    labs: Type.Array(Type.Object({ lab: LabRef, instruments: Count, idleInstruments: Count, ...Use })),
    instruments: Type.Array(InstrumentOut),
    idle: Type.Array(InstrumentOut, { description: 'Instruments nobody booked in the year' }),
  },
  { $id: 'Utilisation' },
);
