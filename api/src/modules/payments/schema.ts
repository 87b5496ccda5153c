import { Type } from 'typebox';
import { DateTime, Money, Uuid } from '../../lib/schema.ts';

export const LabIdParams = Type.Object({ labId: Uuid });
export const RegionParams = Type.Object({ regionCode: Type.String({ pattern: '^[0-9]{6}$' }) });

export const PaymentMethodsOut = Type.Object(
  {
    invoiceId: Uuid,
    /** What this invoice can be paid with now: bank transfer and vouchers always; card when offered and the lab takes it. */
    methods: Type.Array(Type.Union([Type.Literal('bank_transfer'), Type.Literal('voucher'), Type.Literal('card')])),
  },
  { $id: 'PaymentMethods' },
);

export const CheckoutOut = Type.Object(
  {
    /** Where to send the browser: the processor's hosted payment page. */
    url: Type.String(),
    sessionId: Type.String(),
    expiresAt: DateTime,
  },
  { $id: 'CardCheckout' },
);

export const RefundIn = Type.Object(
  {
    amount: Type.Object({
      amount: Type.Integer({ minimum: 1, maximum: 100_000_000_000, description: 'fen' }),
      currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    }),
  },
  { additionalProperties: false },
);

export const RefundOut = Type.Object(
  { id: Uuid, status: Type.Literal('succeeded'), amount: Money, externalId: Type.String() },
  { $id: 'CardRefund' },
);

export const ProcessorAccountOut = Type.Object(
  {
    /** Whether card payments are offered on this platform at all (STRIPE_SECRET_KEY set). */
    offered: Type.Boolean(),
    /** The platform's service fee on card payments to this lab (basis points, its region's rate), taken at source. */
    feeRateBp: Type.Integer({ minimum: 0, maximum: 10_000 }),
    account: Type.Union([
      Type.Object({
        id: Type.String(),
        chargesEnabled: Type.Boolean(),
        detailsSubmitted: Type.Boolean(),
        /** Null: the processor could not be asked just now. */
        payoutsEnabled: Type.Union([Type.Boolean(), Type.Null()]),
        /** What the processor still needs from the lab; null: the processor could not be asked just now. */
        requirementsDue: Type.Union([Type.Array(Type.String()), Type.Null()]),
      }),
      Type.Null(),
    ]),
  },
  { $id: 'ProcessorAccount' },
);

export const OnboardingOut = Type.Object(
  { accountId: Type.String(), chargesEnabled: Type.Boolean(), url: Type.String(), expiresAt: DateTime },
  { $id: 'ProcessorOnboarding' },
);

export const WebhookAck = Type.Object({ received: Type.Literal(true) }, { $id: 'WebhookAck' });

export const FeeRateIn = Type.Object(
  { rateBp: Type.Integer({ minimum: 0, maximum: 10_000, description: 'basis points (1/100 %)' }) },
  { additionalProperties: false },
);
export const FeeRateOut = Type.Object(
  { regionCode: Type.String(), rateBp: Type.Integer() },
  { $id: 'PlatformFeeRate' },
);
