import { bookingMode, bookingStatus } from '@qihub/db';
import { Type, type Static } from 'typebox';
import { DateTime, Nullable, Uuid } from '../../lib/schema.ts';

/** Times are checked by the service (422 with a code per row), so the schema only types them. */
export const WeeklyRow = Type.Object(
  {
    weekday: Type.Integer({ description: 'ISO weekday: 1 = Monday … 7 = Sunday' }),
    opensAt: Type.String({ maxLength: 5, description: 'HH:MM, wall-clock time in the site zone' }),
    closesAt: Type.String({ maxLength: 5, description: 'HH:MM, after opensAt' }),
  },
  { $id: 'OpeningHoursRow', additionalProperties: false },
);
export type WeeklyRow = Static<typeof WeeklyRow>;

export const OpeningHoursPut = Type.Object(
  {
    rows: Type.Array(WeeklyRow, {
      maxItems: 70,
      description: 'Replaces every row; [] = inherit (instrument: the site hours; site: Mon–Fri 08:30–17:30)',
    }),
  },
  { $id: 'OpeningHoursInput', additionalProperties: false },
);

export const OpeningHoursOut = Type.Object(
  {
    inherited: Type.Boolean({ description: 'True when no rows are set here and the hours come from the site/default' }),
    timeZone: Type.String(),
    rows: Type.Array(WeeklyRow, { description: 'The hours in force (inherited ones when inherited is true)' }),
  },
  { $id: 'OpeningHours' },
);

export const ClosureQuery = Type.Object({
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
});

export const ClosureCreate = Type.Object(
  {
    start: DateTime,
    end: DateTime,
    reason: Type.String({ maxLength: 500 }),
    instrumentId: Type.Optional(Uuid),
    unitId: Type.Optional(Uuid),
  },
  { $id: 'ClosureCreate', additionalProperties: false },
);
export type ClosureCreate = Static<typeof ClosureCreate>;

export const ClosureOut = Type.Object(
  {
    id: Uuid,
    labId: Uuid,
    instrumentId: Nullable(Uuid),
    unitId: Nullable(Uuid),
    start: DateTime,
    end: DateTime,
    reason: Type.String(),
    scope: Type.Enum(['lab', 'instrument', 'unit']),
  },
  { $id: 'Closure' },
);

export const ScheduleBooking = Type.Object(
  {
    id: Uuid,
    instrumentId: Uuid,
    unitId: Uuid,
    status: Type.Enum(bookingStatus.enumValues),
    mode: Type.Enum(bookingMode.enumValues),
    start: DateTime,
    end: DateTime,
    customer: Type.Object({ orgId: Uuid, nameZh: Type.String(), nameEn: Type.String() }),
    user: Type.Object({ id: Uuid, displayName: Type.String() }),
    operator: Nullable(Type.Object({ id: Uuid, displayName: Type.String() })),
  },
  { $id: 'ScheduleBooking' },
);

export const ClosureCreated = Type.Object(
  {
    closure: ClosureOut,
    affectedBookings: Type.Array(ScheduleBooking, {
      description: 'Active bookings overlapping the closure: they stay, so the lab can contact the customers',
    }),
  },
  { $id: 'ClosureCreated' },
);

export const PolicyBody = Type.Object(
  {
    slotMinutes: Type.Integer(),
    minMinutes: Type.Integer(),
    maxMinutes: Type.Integer(),
    leadMinutes: Type.Integer(),
    horizonDays: Type.Integer(),
    setupMinutes: Type.Integer(),
    cleanupMinutes: Type.Integer(),
    modes: Type.Array(Type.Enum(bookingMode.enumValues), { maxItems: 2 }),
    requiresApproval: Type.Boolean(),
    holdMinutes: Type.Integer(),
    cancellationCutoffMinutes: Type.Integer(),
    cancellationFeeBasisPoints: Type.Integer({ description: '5000 = 50 % of the price' }),
    qualificationRequired: Type.Boolean(),
    noShowGraceMinutes: Type.Integer(),
    lateVoidMinutes: Type.Integer(),
    quotaMinutesPerWeek: Nullable(Type.Integer()),
  },
  { $id: 'BookingPolicyInput', additionalProperties: false },
);
export type PolicyBody = Static<typeof PolicyBody>;

export const PolicyOut = Type.Intersect(
  [PolicyBody, Type.Object({ isDefault: Type.Boolean({ description: 'True when the instrument has set no policy' }) })],
  { $id: 'BookingPolicy' },
);

const holdLimits = {
  maxHoldsPerInstrument: Type.Integer({
    description:
      'Live holds (held, not yet confirmed or lapsed) one person may have at once on one instrument of the lab; a series counts as one (default 2)',
  }),
  maxHoldsPerLab: Type.Integer({
    description: 'Live holds one person may have at once across the lab, at least maxHoldsPerInstrument (default 5)',
  }),
};

export const BookingSettings = Type.Object(
  {
    violationThreshold: Type.Integer({ description: 'Blocked from self-booking when violations exceed this' }),
    violationWindowDays: Type.Integer(),
    ...holdLimits,
  },
  { $id: 'BookingSettings', additionalProperties: false },
);

/** What PUT takes: the hold limits may be left out (each then keeps its current value). */
export const BookingSettingsBody = Type.Object(
  {
    violationThreshold: Type.Integer({ description: 'Blocked from self-booking when violations exceed this' }),
    violationWindowDays: Type.Integer(),
    maxHoldsPerInstrument: Type.Optional(holdLimits.maxHoldsPerInstrument),
    maxHoldsPerLab: Type.Optional(holdLimits.maxHoldsPerLab),
  },
  { $id: 'BookingSettingsInput', additionalProperties: false },
);
export type BookingSettingsBody = Static<typeof BookingSettingsBody>;

export const ScheduleQuery = Type.Object({ from: DateTime, to: DateTime });

export const Schedule = Type.Object(
  {
    labId: Uuid,
    from: DateTime,
    to: DateTime,
    instruments: Type.Array(
      Type.Object({
        id: Uuid,
        nameZh: Type.String(),
        nameEn: Type.String(),
        status: Type.String(),
        timeZone: Type.String(),
        units: Type.Array(
          Type.Object({ id: Uuid, label: Type.String(), position: Type.Integer(), active: Type.Boolean() }),
        ),
        openingWindows: Type.Array(Type.Object({ start: DateTime, end: DateTime })),
        bookings: Type.Array(ScheduleBooking),
        closures: Type.Array(ClosureOut, { description: 'Closures of this instrument or one of its units' }),
      }),
    ),
    labClosures: Type.Array(ClosureOut, { description: 'Closures of the whole lab' }),
  },
  { $id: 'LabSchedule' },
);
