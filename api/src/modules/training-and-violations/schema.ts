import { violationKind } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, Nullable, Uuid } from '../../lib/schema.ts';

export const UserRef = Type.Object({ id: Uuid, name: Type.String(), email: Type.String() }, { $id: 'UserRef' });
const NamedRef = Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() });

export const TrainingRecordOut = Type.Object(
  {
    id: Uuid,
    lab: NamedRef,
    instrument: NamedRef,
    user: UserRef,
    qualifiedAt: DateTime,
    expiresAt: Nullable(DateTime),
    revokedAt: Nullable(DateTime),
    note: Type.String(),
    /** Valid now: qualified, not expired, not revoked. */
    valid: Type.Boolean(),
    createdAt: DateTime,
  },
  { $id: 'TrainingRecord' },
);

export const TrainingRecordList = Type.Object({ items: Type.Array(TrainingRecordOut) }, { $id: 'TrainingRecordList' });

export const TrainingRecordQuery = Type.Object({ instrumentId: Type.Optional(Uuid) }, { additionalProperties: false });

export const TrainingRecordCreate = Type.Object(
  {
    instrumentId: Uuid,
    email: Type.String({ format: 'email', maxLength: 254, description: 'The trained person, found by email' }),
    qualifiedAt: DateTime,
    expiresAt: Type.Optional(Nullable(DateTime)),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { $id: 'TrainingRecordCreate', additionalProperties: false },
);

export const Standing = Type.Object(
  {
    user: UserRef,
    /** Violations that count: inside the lab's window and after the latest lift. */
    count: Type.Integer(),
    /** More than the threshold: no self-booking at this lab until a manager lifts it. */
    blocked: Type.Boolean(),
    lastLiftedAt: Nullable(DateTime),
  },
  { $id: 'Standing' },
);

export const ViolationsOut = Type.Object(
  {
    threshold: Type.Integer(),
    windowDays: Type.Integer(),
    items: Type.Array(
      Type.Object({
        id: Uuid,
        user: UserRef,
        bookingId: Nullable(Uuid),
        kind: Type.Enum(violationKind.enumValues),
        occurredAt: DateTime,
        note: Type.String(),
        /** Still counts (after the user's latest lift). */
        counted: Type.Boolean(),
      }),
    ),
    standings: Type.Array(Standing),
  },
  { $id: 'Violations' },
);

export const StandingParams = Type.Object({ id: Uuid, userId: Uuid });

export const LiftBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 500 }) },
  { $id: 'BlacklistLift', additionalProperties: false },
);
