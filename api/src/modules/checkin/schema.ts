import { bookingStatus, instrumentStatus } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, Nullable, Uuid } from '../../lib/schema.ts';
import { BookingOut } from '../bookings/index.ts';

export const CheckinQuery = Type.Object(
  {
    unit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'The unit’s position, as its label names it' }),
    ),
  },
  { additionalProperties: false },
);

export const LabelsQuery = Type.Object({ instrumentId: Type.Optional(Uuid) }, { additionalProperties: false });

const UnitRef = Type.Object({ position: Type.Integer(), label: Type.String() });

export const CheckinCandidates = Type.Object(
  {
    now: DateTime,
    viewer: Type.Union([Type.Literal('lab'), Type.Literal('customer')], {
      description: 'lab: the lab’s managers, staff and operators see every current booking; customer: one’s own',
    }),
    checkInOpensMinutesBefore: Type.Integer(),
    instrument: Type.Object({
      id: Uuid,
      nameZh: Type.String(),
      nameEn: Type.String(),
      model: Type.String(),
      manufacturer: Type.String(),
      status: Type.Enum(instrumentStatus.enumValues),
      lab: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() }),
      timeZone: Type.String(),
    }),
    unit: Nullable(UnitRef),
    current: Type.Array(
      Type.Object({
        booking: BookingOut,
        action: Type.Union([Type.Literal('check-in'), Type.Literal('check-out')]),
        mine: Type.Boolean({ description: 'Booked or operated by the caller' }),
        booker: Type.Object({ displayName: Type.String(), orgNameZh: Type.String(), orgNameEn: Type.String() }),
        operatorName: Nullable(Type.String()),
      }),
      { description: 'Confirmed bookings whose check-in window is open, and bookings in use' },
    ),
    next: Nullable(
      Type.Object({ id: Uuid, start: DateTime, end: DateTime, status: Type.Enum(bookingStatus.enumValues) }),
    ),
  },
  { $id: 'CheckinCandidates', additionalProperties: false },
);

export const CheckinLabels = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        instrumentId: Uuid,
        nameZh: Type.String(),
        nameEn: Type.String(),
        model: Type.String(),
        manufacturer: Type.String(),
        status: Type.Enum(instrumentStatus.enumValues),
        unit: Nullable(UnitRef),
        url: Type.String({ description: 'The check-in page the QR code encodes' }),
        qrSvg: Type.String({ description: 'The QR code of `url`, as an SVG document' }),
      }),
    ),
  },
  { $id: 'CheckinLabels', additionalProperties: false },
);
