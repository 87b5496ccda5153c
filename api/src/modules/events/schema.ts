import { eventKind, eventStatus, registrationStatus } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, LocalDate, Money, Nullable, RegionCode, Uuid } from '../../lib/schema.ts';

export const EventKind = Type.Enum(eventKind.enumValues, {
  $id: 'EventKind',
  description: 'course (质量培训), standards_day (世界标准日), open_day (实验室开放日), seminar',
});
export const EventStatus = Type.Enum(eventStatus.enumValues, { $id: 'EventStatus' });
export const RegistrationStatus = Type.Enum(registrationStatus.enumValues, { $id: 'RegistrationStatus' });

export const SessionCreate = Type.Object(
  { startsAt: DateTime, endsAt: DateTime, seats: Type.Integer({ minimum: 1, maximum: 10_000 }) },
  { $id: 'EventSessionCreate', additionalProperties: false },
);

const Texts = {
  titleEn: Type.Optional(Type.String({ maxLength: 200 })),
  descriptionZh: Type.Optional(Type.String({ maxLength: 10_000 })),
  descriptionEn: Type.Optional(Type.String({ maxLength: 10_000 })),
  venueZh: Type.Optional(Type.String({ maxLength: 500 })),
  regionCode: Type.Optional(RegionCode),
  feeFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Per seat, fen; 0 = free' })),
};

export const EventCreate = Type.Object(
  {
    organiserOrgId: Uuid,
    kind: EventKind,
    titleZh: Type.String({ minLength: 2, maxLength: 200 }),
    ...Texts,
    sessions: Type.Array(SessionCreate, { minItems: 1, maxItems: 50 }),
  },
  { $id: 'EventCreate', additionalProperties: false },
);

export const EventPatch = Type.Object(
  {
    kind: Type.Optional(EventKind),
    titleZh: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    ...Texts,
  },
  { $id: 'EventPatch', additionalProperties: false, minProperties: 1 },
);

export const SessionOut = Type.Object(
  {
    id: Uuid,
    startsAt: DateTime,
    endsAt: DateTime,
    seats: Type.Integer(),
    seatsTaken: Type.Integer(),
    seatsLeft: Type.Integer(),
    waitlisted: Type.Integer(),
    /** The caller's registration status for the session, if signed in and registered. */
    myStatus: Nullable(RegistrationStatus),
  },
  { $id: 'EventSession' },
);

export const EventOut = Type.Object(
  {
    id: Uuid,
    organiser: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String(), kind: Type.String() }),
    kind: EventKind,
    titleZh: Type.String(),
    titleEn: Type.String(),
    descriptionZh: Type.String(),
    descriptionEn: Type.String(),
    venueZh: Type.String(),
    regionCode: Nullable(Type.String()),
    fee: Money,
    status: EventStatus,
    sessions: Type.Array(SessionOut),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Event' },
);

export const EventList = Type.Object({ items: Type.Array(EventOut) }, { $id: 'EventList' });

export const EventListQuery = Type.Object(
  {
    kind: Type.Optional(EventKind),
    region: Type.Optional(RegionCode),
    /** China dates: sessions starting on or after `from` and on or before `to`. */
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    /** With an organisation the caller belongs to: all its events, drafts and past ones included. */
    organiserOrgId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const RegistrationOut = Type.Object(
  {
    id: Uuid,
    status: RegistrationStatus,
    /** 1-based place on the waitlist; null unless waitlisted. */
    waitlistPosition: Nullable(Type.Integer()),
    session: Type.Object({ id: Uuid, startsAt: DateTime, endsAt: DateTime }),
    event: Type.Object({
      id: Uuid,
      kind: EventKind,
      titleZh: Type.String(),
      titleEn: Type.String(),
      venueZh: Type.String(),
      status: EventStatus,
    }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'EventRegistration' },
);

export const RegistrationList = Type.Object({ items: Type.Array(RegistrationOut) }, { $id: 'EventRegistrationList' });

export const Registrant = Type.Object(
  {
    id: Uuid,
    user: Type.Object({ id: Uuid, name: Type.String(), email: Type.String(), phone: Nullable(Type.String()) }),
    organisation: Nullable(Type.Object({ id: Uuid, nameZh: Type.String() })),
    status: RegistrationStatus,
    waitlistPosition: Nullable(Type.Integer()),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Registrant' },
);

export const RegistrantList = Type.Object(
  {
    session: SessionOut,
    items: Type.Array(Registrant),
  },
  { $id: 'RegistrantList' },
);

export const AttendanceBody = Type.Object(
  { userId: Uuid, attended: Type.Boolean() },
  { $id: 'Attendance', additionalProperties: false },
);

export const SessionPatch = Type.Object(
  {
    startsAt: Type.Optional(DateTime),
    endsAt: Type.Optional(DateTime),
    seats: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { $id: 'EventSessionPatch', additionalProperties: false, minProperties: 1 },
);
