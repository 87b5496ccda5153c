import { Type } from 'typebox';
import { DateTime, Nullable, Page, Uuid } from '../../lib/schema.ts';

export const OrgIdParams = Type.Object({ orgId: Uuid });
export const OrgCardParams = Type.Object({ orgId: Uuid, cardId: Uuid });
export const CardsQuery = Type.Object({ labId: Type.Optional(Uuid) }, { additionalProperties: false });
export const CardOnFileQuery = Type.Object({ orgId: Uuid }, { additionalProperties: false });

export const CardSetupIn = Type.Object(
  {
    /** The customer organisation the card is saved for (the caller must be its member). */
    orgId: Uuid,
    /** A path of the web app to come back to (`/bookings/…`, `/invoices`); never another site. */
    returnTo: Type.Optional(Type.String({ pattern: '^/(?![/\\\\])[A-Za-z0-9/_.?=&%-]*$', maxLength: 300 })),
  },
  { additionalProperties: false },
);

/** A saved card as a person recognises it: never card data. */
export const SavedCardOut = Type.Object(
  {
    id: Uuid,
    labId: Uuid,
    labNameZh: Type.String(),
    labNameEn: Type.String(),
    /** visa, mastercard, unionpay, amex … */
    brand: Type.String(),
    last4: Type.String({ pattern: '^[0-9]{4}$' }),
    expMonth: Type.Integer({ minimum: 1, maximum: 12 }),
    expYear: Type.Integer(),
    createdAt: DateTime,
  },
  { $id: 'SavedCard' },
);
export const SavedCardPage = Page(SavedCardOut);

export const CardOnFileOut = Type.Object(
  {
    /** Whether a card can be saved with this lab now. */
    available: Type.Boolean(),
    reason: Nullable(Type.Union([Type.Literal('card_not_offered'), Type.Literal('lab_cannot_take_cards')])),
    /** The card the lab's booking charges are made to (at check-out), if one is saved. */
    card: Nullable(SavedCardOut),
  },
  { $id: 'CardOnFile' },
);

export const CardSetupOut = Type.Object(
  {
    /** Where to send the browser: the processor's hosted page in setup mode (nothing is charged). */
    url: Type.String(),
    sessionId: Type.String(),
    expiresAt: DateTime,
  },
  { $id: 'CardSetup' },
);
