import { Type } from 'typebox';
import { DateTime, LocalDate, Nullable } from '../../lib/schema.ts';

const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
export const YearQuery = Type.Object({ year: Year });
export const YearParams = Type.Object({ year: Year });

export const HolidayYearBody = Type.Object({
  holidays: Type.Array(LocalDate, {
    maxItems: 60,
    description: 'Days off (YYYY-MM-DD, China), bridging days included',
  }),
  makeupWorkdays: Type.Array(LocalDate, {
    maxItems: 20,
    description: 'Saturdays and Sundays that are working days (调休)',
  }),
  note: Type.Optional(Type.String({ maxLength: 500, description: 'Where it comes from, e.g. the notice’s number' })),
});

export const HolidayYearOut = Type.Object(
  {
    year: Type.Integer(),
    timeZone: Type.Literal('Asia/Shanghai'),
    source: Type.Enum(['override', 'package', 'statutory'], {
      description:
        'override: entered by the platform; package: the State Council’s schedule as published; statutory: no official schedule yet — the holidays fixed by law only, make-up days unknown',
    }),
    makeupWorkdaysKnown: Type.Boolean(),
    holidays: Type.Array(LocalDate),
    makeupWorkdays: Type.Array(LocalDate),
    note: Type.String(),
    updatedAt: Nullable(DateTime),
    updatedBy: Nullable(Type.String()),
    packageSource: Type.Enum(['package', 'statutory'], {
      description: 'What the year falls back to without the entry',
    }),
  },
  { $id: 'HolidayYear' },
);
