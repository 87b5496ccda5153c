import { expediteTier, objectionStatus, orderStatus, sampleStatus } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, ListQuery, LocalDate, Money, Nullable, ServiceKind, Uuid } from '../../lib/schema.ts';

const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });
const Count = (description: string) => Type.Integer({ minimum: 1, maximum: 100000, description });
const PRICED_QUANTITY = "The priced quantity, in the line's unit (hours, samples, items …).";
const SAMPLE_COUNT = 'How many samples (or instruments to calibrate) the line is for: not the priced quantity.';

/**
 * Services in one request: several services of one lab make one order (one quote, one commission
 * form); the lab may add more lines when it quotes.
 */
export const MAX_REQUEST_LINES = 20;

export const OrderStatus = Type.Enum(orderStatus.enumValues, { $id: 'OrderStatus' });

export const OrderLineCreate = Type.Object(
  {
    serviceId: Uuid,
    /**
     * Optional: without it, a service priced per sample or per item counts `sampleCount`, and any
     * other (per hour …) waits for the lab to set the quantity in its quote.
     */
    quantity: Type.Optional(Count(PRICED_QUANTITY)),
    sampleCount: Type.Optional(Count(SAMPLE_COUNT)),
    parameterZh: Type.Optional(Text(200)),
    standardCode: Type.Optional(Text(100)),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'OrderLineCreate', additionalProperties: false },
);

export const OrderCreate = Type.Object(
  {
    labId: Uuid,
    /** The ordering enterprise, when the caller belongs to more than one. */
    customerOrgId: Type.Optional(Uuid),
    titleZh: Type.Optional(Text(200, 1)),
    requestNotes: Text(4000),
    /** One line per service of the lab, each service once (see MAX_REQUEST_LINES). */
    lines: Type.Array(OrderLineCreate, { minItems: 1, maxItems: MAX_REQUEST_LINES }),
  },
  { $id: 'OrderCreate', additionalProperties: false },
);

export const QuoteLinePrice = Type.Object(
  {
    lineId: Uuid,
    unitPriceFen: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    quantity: Type.Optional(Count(PRICED_QUANTITY)),
    sampleCount: Type.Optional(Count(SAMPLE_COUNT)),
    parameterZh: Type.Optional(Text(200)),
    standardCode: Type.Optional(Text(100)),
    /**
     * The item of the lab's own scope (on a certificate valid today) the line is tested under: the
     * line takes its parameter and standard and is marked by it. Null clears the choice (the line is
     * then marked by its own wording); left out, the choice stays.
     */
    scopeItemId: Type.Optional(Nullable(Uuid)),
  },
  { $id: 'QuoteLinePrice', additionalProperties: false },
);

export const QuoteLineAdd = Type.Object(
  {
    serviceId: Type.Optional(Uuid),
    /** Needed when there is no catalogue service. */
    kind: Type.Optional(ServiceKind),
    descriptionZh: Text(300, 1),
    descriptionEn: Type.Optional(Text(300)),
    parameterZh: Type.Optional(Text(200)),
    standardCode: Type.Optional(Text(100)),
    quantity: Count(PRICED_QUANTITY),
    sampleCount: Type.Optional(Count(SAMPLE_COUNT)),
    unit: Type.Optional(Text(20, 1)),
    unitPriceFen: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    /** As on a priced line: an item of the lab's valid scope. */
    scopeItemId: Type.Optional(Uuid),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'QuoteLineAdd', additionalProperties: false },
);

export const QuoteBody = Type.Object(
  {
    lines: Type.Array(QuoteLinePrice, { maxItems: 100 }),
    addLines: Type.Optional(Type.Array(QuoteLineAdd, { maxItems: 50 })),
    removeLineIds: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
    validUntil: LocalDate,
    notes: Type.Optional(Text(4000)),
  },
  { $id: 'Quote', additionalProperties: false },
);

/** 委托单: every field of the commission form. */
export const CommissionFormSchema = Type.Object(
  {
    sampleName: Text(200, 1),
    specification: Text(200),
    manufacturer: Text(200),
    batch: Text(100),
    quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
    trademark: Text(100),
    productionDate: Nullable(LocalDate),
    packagingCondition: Text(500),
    testScope: Type.Union([Type.Literal('full'), Type.Literal('single'), Type.Literal('partial')]),
    purpose: Text(500, 1),
    testBasis: Text(500, 1),
    evaluationBasis: Text(500),
    subcontractingAllowed: Type.Boolean(),
    leftoverSamples: Type.Union([Type.Literal('return'), Type.Literal('dispose')]),
    storageConditions: Text(500),
    reportCopies: Type.Integer({ minimum: 1, maximum: 20 }),
    reportLanguage: Type.Union([Type.Literal('zh'), Type.Literal('en'), Type.Literal('both')]),
    reportDelivery: Type.Union([Type.Literal('pickup'), Type.Literal('post'), Type.Literal('electronic')]),
    deliveryAddress: Text(500),
  },
  { $id: 'CommissionForm', additionalProperties: false },
);

export const AcceptBody = Type.Object(
  {
    /**
     * The order's `quotedAt` as the customer saw it: if the lab re-quoted since, the accept is
     * refused with 409 `quote_changed` so nobody accepts a price they never saw.
     */
    quotedAt: DateTime,
    commission: CommissionFormSchema,
    deadlineTierDays: Type.Optional(
      Type.Union([Type.Literal(5), Type.Literal(15), Type.Literal(25), Type.Literal(30)]),
    ),
    expedite: Type.Optional(Type.Union([Type.Literal('h72'), Type.Literal('h24'), Type.Literal('h8')])),
    /** Several kinds of sample: one expected sample each; by default one, named by the form. */
    samples: Type.Optional(
      Type.Array(
        Type.Object(
          {
            nameZh: Text(200, 1),
            quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
            unit: Type.Optional(Text(20, 1)),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 50 },
      ),
    ),
  },
  { $id: 'Acceptance', additionalProperties: false },
);

export const ReasonBody = Type.Object({ reason: Text(1000, 2) }, { $id: 'OrderReason', additionalProperties: false });
export const OptionalReasonBody = Type.Object(
  { reason: Type.Optional(Text(1000)) },
  { $id: 'OptionalReason', additionalProperties: false },
);

export const ReceiveBody = Type.Object(
  {
    conditionOnArrival: Text(1000, 1),
    quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
    storageLocation: Type.Optional(Text(200)),
  },
  { $id: 'SampleReceipt', additionalProperties: false },
);

export const ScheduleBody = Type.Object(
  {
    instrumentId: Uuid,
    start: Type.String({ format: 'date-time' }),
    end: Type.String({ format: 'date-time' }),
    mode: Type.Optional(Type.Union([Type.Literal('self'), Type.Literal('assisted')])),
    notes: Type.Optional(Text(2000)),
  },
  { $id: 'OrderSchedule', additionalProperties: false },
);

export const ResolveBody = Type.Object(
  {
    outcome: Type.Union([Type.Literal('upheld'), Type.Literal('dismissed')]),
    resolution: Text(2000, 2),
  },
  { $id: 'ObjectionResolution', additionalProperties: false },
);

export const OrderSampleParams = Type.Object({ id: Uuid, sampleId: Uuid });
export const ObjectionParams = Type.Object({ id: Uuid, objectionId: Uuid });

export const OrderListQuery = Type.Object({
  as: Type.Optional(Type.Union([Type.Literal('customer'), Type.Literal('lab'), Type.Literal('officer')])),
  labId: Type.Optional(Uuid),
  status: Type.Optional(OrderStatus),
  ...ListQuery,
});

export const OrderSettingsBody = Type.Object(
  {
    reportPrefix: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{2,12}$' })),
    objectionDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 90 })),
    expediteH72Pct: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
    expediteH24Pct: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
    expediteH8Pct: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
    autoQuoteFixedPrice: Type.Optional(Type.Boolean()),
    quoteValidityDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  },
  { $id: 'OrderSettingsInput', additionalProperties: false },
);

export const OrderSettingsOut = Type.Object(
  {
    labId: Uuid,
    reportPrefix: Type.String(),
    objectionDays: Type.Integer(),
    expediteH72Pct: Type.Integer(),
    expediteH24Pct: Type.Integer(),
    expediteH8Pct: Type.Integer(),
    autoQuoteFixedPrice: Type.Boolean(),
    quoteValidityDays: Type.Integer(),
    /** False while the lab uses the defaults (no row saved yet). */
    saved: Type.Boolean(),
  },
  { $id: 'OrderSettings' },
);

export const OrderOut = Type.Object(
  {
    id: Uuid,
    number: Type.String(),
    status: OrderStatus,
    customerOrgId: Uuid,
    customerNameZh: Type.String(),
    labId: Uuid,
    labNameZh: Type.String(),
    requestedBy: Uuid,
    titleZh: Type.String(),
    requestNotes: Type.String(),
    needsSamples: Type.Boolean(),
    quotedAt: Nullable(DateTime),
    quoteValidUntil: Nullable(LocalDate),
    quoteNotes: Type.String(),
    subtotal: Money,
    surcharge: Money,
    surchargeWaived: Type.Boolean(),
    total: Money,
    acceptedAt: Nullable(DateTime),
    commission: Nullable(Type.Record(Type.String(), Type.Unknown())),
    deadlineTierDays: Nullable(Type.Integer()),
    expedite: Type.Enum(expediteTier.enumValues, { $id: 'ExpediteTier' }),
    expeditePct: Type.Integer(),
    clockStartedAt: Nullable(DateTime),
    dueAt: Nullable(DateTime),
    workStartedAt: Nullable(DateTime),
    reportIssuedAt: Nullable(DateTime),
    onTime: Nullable(Type.Boolean()),
    objectionUntil: Nullable(DateTime),
    retestCount: Type.Integer(),
    closedAt: Nullable(DateTime),
    cancelledAt: Nullable(DateTime),
    cancelReason: Nullable(Type.String()),
    cancellationFee: Nullable(Money),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Order' },
);

export const OrderLineOut = Type.Object(
  {
    id: Uuid,
    position: Type.Integer(),
    serviceId: Nullable(Uuid),
    kind: ServiceKind,
    descriptionZh: Type.String(),
    descriptionEn: Type.String(),
    parameterZh: Type.String(),
    standardCode: Type.String(),
    quantity: Type.Integer({ description: PRICED_QUANTITY }),
    unit: Type.String(),
    sampleCount: Nullable(Type.Integer({ description: SAMPLE_COUNT })),
    unitPrice: Nullable(Money),
    amount: Nullable(Money),
    details: Type.Record(Type.String(), Type.Unknown()),
    /** The scope item the lab placed the line under when quoting (null: marked by its wording). */
    scopeItemId: Nullable(Uuid),
    inCmaScope: Type.Boolean(),
    inCnasScope: Type.Boolean(),
    cmaQualificationId: Nullable(Uuid),
    cnasQualificationId: Nullable(Uuid),
    scopeCheckedOn: Nullable(LocalDate),
    addedBy: Type.String(),
    removed: Type.Boolean(),
    removedAt: Nullable(DateTime),
  },
  { $id: 'OrderLine' },
);

export const OrderSampleOut = Type.Object(
  {
    id: Uuid,
    code: Type.String(),
    nameZh: Type.String(),
    quantity: Type.Integer(),
    unit: Type.String(),
    status: Type.Enum(sampleStatus.enumValues),
    conditionOnArrival: Nullable(Type.String()),
    hasPhoto: Type.Boolean(),
    receivedAt: Nullable(DateTime),
    rejectedReason: Nullable(Type.String()),
    storageLocation: Type.String(),
    dispositionAt: Nullable(DateTime),
  },
  { $id: 'OrderSample' },
);

export const OrderEventOut = Type.Object(
  {
    id: Type.Integer(),
    at: DateTime,
    actorUserId: Nullable(Uuid),
    actorSide: Type.String(),
    action: Type.String(),
    fromStatus: Nullable(OrderStatus),
    toStatus: Nullable(OrderStatus),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'OrderEvent' },
);

export const ObjectionOut = Type.Object(
  {
    id: Uuid,
    reportId: Nullable(Uuid),
    raisedBy: Uuid,
    reason: Type.String(),
    status: Type.Enum(objectionStatus.enumValues),
    resolution: Nullable(Type.String()),
    resolvedAt: Nullable(DateTime),
    createdAt: DateTime,
  },
  { $id: 'Objection' },
);

export const OrderDetailOut = Type.Object(
  {
    order: OrderOut,
    /** How the caller stands to the order. */
    viewerSide: Type.Union([
      Type.Literal('customer'),
      Type.Literal('lab'),
      Type.Literal('officer'),
      Type.Literal('platform'),
    ]),
    /**
     * The lab's terms that apply to this order: expedite surcharges (%) and the objection window
     * (days), as copied onto the quote when it was made (the lab's current terms before that).
     */
    labTerms: Type.Object({
      expediteH72Pct: Type.Integer(),
      expediteH24Pct: Type.Integer(),
      expediteH8Pct: Type.Integer(),
      objectionDays: Type.Integer(),
    }),
    awaitingPayment: Type.Boolean({
      description: 'Prepay: the order is accepted and waits for its invoice (payment.invoiceId) to be paid',
    }),
    payment: Nullable(
      Type.Object({
        invoiceId: Uuid,
        terms: Type.Union([Type.Literal('prepay'), Type.Literal('on_delivery'), Type.Literal('monthly')]),
        status: Type.String({ description: 'the invoice’s status: open, partially_paid, paid, void' }),
        amountDue: Money,
      }),
    ),
    lines: Type.Array(OrderLineOut),
    samples: Type.Array(OrderSampleOut),
    timeline: Type.Array(OrderEventOut),
    bookings: Type.Array(
      Type.Object({
        id: Uuid,
        instrumentId: Uuid,
        instrumentNameZh: Type.String(),
        status: Type.String(),
        start: DateTime,
        end: DateTime,
      }),
    ),
    /** Each report with the lines it covers: a line in an issued report is reported. */
    reports: Type.Array(
      Type.Object({
        id: Uuid,
        number: Nullable(Type.String()),
        status: Type.String(),
        kind: Type.String(),
        lineIds: Type.Array(Uuid),
      }),
    ),
    objections: Type.Array(ObjectionOut),
  },
  { $id: 'OrderDetail' },
);

export const ScopeItemOut = Type.Object(
  {
    id: Uuid,
    qualificationId: Uuid,
    kind: Type.Union([Type.Literal('cma'), Type.Literal('cnas')]),
    qualificationNumber: Type.String(),
    productZh: Type.String(),
    parameterZh: Type.String(),
    parameterEn: Type.String(),
    standardCode: Type.String(),
  },
  { $id: 'ScopeItem' },
);

export const ScopeMatchesOut = Type.Object(
  {
    /** The date (China time) the certificates were checked for: today. */
    checkedOn: LocalDate,
    /** The lab's scope items on certificates valid that day: what a line may be placed under. */
    items: Type.Array(ScopeItemOut),
    lines: Type.Array(
      Type.Object({
        lineId: Uuid,
        /** The item the lab chose, if it did. */
        chosenItemId: Nullable(Uuid),
        /** Items the line's own wording (standard, and parameter when given) matches. Empty: it matches nothing. */
        matchedItemIds: Type.Array(Uuid),
        /** The items closest to the line's wording, best first, with a score in (0, 1]. */
        closest: Type.Array(Type.Object({ itemId: Uuid, score: Type.Number() })),
      }),
    ),
  },
  { $id: 'ScopeMatches' },
);
