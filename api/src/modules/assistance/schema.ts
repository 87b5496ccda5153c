import { assistanceStatus } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, LocalDate, Nullable, Uuid } from '../../lib/schema.ts';

export const AssistanceTrigger = Type.Union(
  [
    Type.Literal('spot_check_failure'),
    Type.Literal('customer_complaint'),
    Type.Literal('new_product'),
    Type.Literal('other'),
  ],
  {
    $id: 'AssistanceTrigger',
    description: 'What prompted the request: a failed spot check, a customer complaint, a new product, other',
  },
);
export const AssistanceStatus = Type.Enum(assistanceStatus.enumValues, { $id: 'AssistanceStatus' });

export const AssistanceCreate = Type.Object(
  {
    /** Needed only when the caller belongs to more than one enterprise. */
    enterpriseId: Type.Optional(Uuid),
    titleZh: Type.String({ minLength: 2, maxLength: 200 }),
    problemZh: Type.String({ minLength: 2, maxLength: 5000 }),
    trigger: Type.Optional(AssistanceTrigger),
    productZh: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { $id: 'AssistanceCreate', additionalProperties: false },
);

export const AssistanceAssign = Type.Object(
  {
    /** A platform user (lab staff or a platform expert) … */
    expertUserId: Type.Optional(Uuid),
    /** … or an outside expert by name. Exactly one of the two. */
    expertName: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
  },
  { $id: 'AssistanceAssign', additionalProperties: false },
);

export const AssistanceVisitCreate = Type.Object(
  {
    visitedOn: LocalDate,
    notesZh: Type.String({ minLength: 2, maxLength: 5000 }),
    problemsFound: Type.Integer({ minimum: 0, maximum: 1000 }),
    problemsSolved: Type.Integer({ minimum: 0, maximum: 1000 }),
  },
  { $id: 'AssistanceVisitCreate', additionalProperties: false },
);

const Person = Type.Object({ id: Uuid, name: Type.String(), phone: Nullable(Type.String()), email: Type.String() });

export const AssistanceVisitOut = Type.Object(
  {
    id: Uuid,
    visitedOn: LocalDate,
    recordedBy: Type.Object({ id: Uuid, name: Type.String() }),
    notesZh: Type.String(),
    problemsFound: Type.Integer(),
    problemsSolved: Type.Integer(),
    createdAt: DateTime,
  },
  { $id: 'AssistanceVisit' },
);

export const AssistanceOut = Type.Object(
  {
    id: Uuid,
    enterprise: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() }),
    requestedBy: Type.Object({ id: Uuid, name: Type.String() }),
    titleZh: Type.String(),
    problemZh: Type.String(),
    trigger: Type.String(),
    productZh: Type.String(),
    status: AssistanceStatus,
    officer: Nullable(Person),
    /** The expert: a platform user (id set) or an outside expert (id null). */
    expert: Nullable(Type.Object({ id: Nullable(Uuid), name: Type.String() })),
    visits: Type.Array(AssistanceVisitOut),
    problemsFound: Type.Integer(),
    problemsSolved: Type.Integer(),
    assignedAt: Nullable(DateTime),
    resolvedAt: Nullable(DateTime),
    closedAt: Nullable(DateTime),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'AssistanceRequest' },
);

export const AssistanceList = Type.Object({ items: Type.Array(AssistanceOut) }, { $id: 'AssistanceList' });

export const AssistanceListQuery = Type.Object(
  { status: Type.Optional(AssistanceStatus), enterpriseId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
