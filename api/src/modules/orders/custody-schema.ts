import { custodyStep } from '@qihub/db';
import { Type, type Static } from 'typebox';
import { DateTime, Nullable, Uuid } from '../../lib/schema.ts';

const Text = (max: number) => Type.String({ maxLength: max });

export const CustodyStepOut = Type.Enum(custodyStep.enumValues, { $id: 'CustodyStep' });
export const CustodyState = Type.Enum(
  ['expected', 'rejected', 'received', 'stored', 'in_testing', 'returned', 'disposed'],
  {
    $id: 'CustodyState',
  },
);

/** What the lab records; receipt has its own route (it decides the sample), so it is not offered here. */
export const CustodyEntryCreate = Type.Object(
  {
    step: Type.Union(
      [
        Type.Literal('stored'),
        Type.Literal('taken'),
        Type.Literal('back'),
        Type.Literal('returned'),
        Type.Literal('disposed'),
      ],
      { description: 'stored (where), taken for testing (by whom), back to storage (where), returned or disposed' },
    ),
    location: Type.Optional(Text(200)),
    takenBy: Type.Optional(Text(100)),
    method: Type.Optional(
      Type.Union([Type.Literal('courier'), Type.Literal('in_person')], {
        description: 'returned: by courier (with a tracking number) or collected in person',
      }),
    ),
    courier: Type.Optional(Text(100)),
    trackingNumber: Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9-]*$' })),
    collectedBy: Type.Optional(Text(100)),
    note: Type.Optional(Text(1000)),
  },
  { $id: 'CustodyEntryCreate', additionalProperties: false },
);
export type CustodyEntryCreate = Static<typeof CustodyEntryCreate>;

export const CustodyEntryOut = Type.Object(
  {
    id: Type.Integer(),
    sampleId: Uuid,
    sampleCode: Type.String(),
    step: CustodyStepOut,
    at: DateTime,
    actorName: Nullable(Type.String()),
    location: Nullable(Type.String()),
    takenBy: Nullable(Type.String()),
    returnMethod: Nullable(Type.Union([Type.Literal('courier'), Type.Literal('in_person')])),
    courier: Nullable(Type.String()),
    trackingNumber: Nullable(Type.String()),
    collectedBy: Nullable(Type.String()),
    cause: Nullable(Type.String({ description: 'cancellation or backfill where the step was not recorded by hand' })),
    note: Type.String(),
  },
  { $id: 'CustodyEntry', additionalProperties: false },
);

export const SampleCustodyOut = Type.Object(
  {
    id: Uuid,
    code: Type.String(),
    nameZh: Type.String(),
    state: CustodyState,
    location: Nullable(Type.String()),
    holder: Nullable(Type.String({ description: 'Who has it while it is out for testing' })),
    /** The steps the sample's state allows next (the order's state may still refuse some). */
    next: Type.Array(CustodyStepOut),
  },
  { $id: 'SampleCustody', additionalProperties: false },
);

export const OrderCustodyOut = Type.Object(
  {
    orderId: Uuid,
    leftoverSamples: Nullable(Type.Union([Type.Literal('return'), Type.Literal('dispose')])),
    leftoversDue: Type.Boolean({
      description: 'The report is out and the objection window has closed (or the order ended): leftovers go',
    }),
    samples: Type.Array(SampleCustodyOut),
    entries: Type.Array(CustodyEntryOut, { description: 'The custody log, oldest first' }),
  },
  { $id: 'OrderCustody', additionalProperties: false },
);
export type OrderCustody = Static<typeof OrderCustodyOut>;
