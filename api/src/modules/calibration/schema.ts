import { Type } from 'typebox';
import { DateTime, ListQuery, LocalDate, Nullable, Uuid } from '../../lib/schema.ts';

const NamedRef = Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() });
const Method = Type.Union([Type.Literal('calibration'), Type.Literal('verification')], {
  description: 'calibration (校准) or verification (检定)',
});

export const CalibrationRecordOut = Type.Object(
  {
    id: Uuid,
    customer: NamedRef,
    lab: NamedRef,
    orderId: Nullable(Uuid),
    reportId: Nullable(Uuid),
    instrumentName: Type.String(),
    model: Type.String(),
    serialNumber: Type.String(),
    measuringRange: Type.String(),
    accuracyClass: Type.String(),
    method: Method,
    calibratedOn: LocalDate,
    nextDueOn: LocalDate,
    /** Calendar days until the next due date (China date); negative when overdue. */
    daysLeft: Type.Integer(),
    status: Type.Union([Type.Literal('ok'), Type.Literal('due_soon'), Type.Literal('overdue')]),
    recallRemindedAt: Nullable(DateTime),
    /** A newer certificate of the same instrument from the same lab (customer and non-empty serial number); null for the current one. */
    supersededBy: Nullable(Uuid),
    createdAt: DateTime,
  },
  { $id: 'CalibrationRecord' },
);

export const CalibrationRecordList = Type.Object(
  {
    /** One page, soonest due first. */
    items: Type.Array(CalibrationRecordOut),
    nextCursor: Nullable(Type.String()),
    /** How many records of each status the list holds (the status filter aside), for a summary. */
    counts: Type.Object({ overdue: Type.Integer(), due_soon: Type.Integer(), ok: Type.Integer() }),
  },
  { $id: 'CalibrationRecordList' },
);

export const CalibrationListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('due_soon'), Type.Literal('overdue')])),
    serialNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Include certificates superseded by a newer one of the same instrument. */
    history: Type.Optional(Type.Boolean({ default: false })),
    ...ListQuery,
  },
  { additionalProperties: false },
);

const Text = (max: number) => Type.String({ maxLength: max });

export const CalibrationRecordCreate = Type.Object(
  {
    customerOrgId: Uuid,
    instrumentName: Type.String({ minLength: 1, maxLength: 200 }),
    model: Type.Optional(Text(200)),
    serialNumber: Type.String({ minLength: 1, maxLength: 100 }),
    measuringRange: Type.Optional(Text(200)),
    accuracyClass: Type.Optional(Text(100)),
    method: Type.Optional(Method),
    calibratedOn: LocalDate,
    nextDueOn: LocalDate,
  },
  { $id: 'CalibrationRecordCreate', additionalProperties: false },
);
