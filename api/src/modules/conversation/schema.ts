import { Type } from 'typebox';
import { DateTime, ListQuery, Nullable, Uuid } from '../../lib/schema.ts';

export const AttachmentParams = Type.Object({ id: Uuid, attachmentId: Uuid });

export const AttachmentOut = Type.Object(
  {
    id: Uuid,
    fileName: Type.String({ description: 'The original name, cleaned; never a path on the server' }),
    contentType: Type.String(),
    sizeBytes: Type.Integer(),
    sha256: Type.String({ description: 'SHA-256 of the stored file, hex' }),
    /** The download link; the conversation and its files are served to the customer and the lab only. */
    downloadUrl: Nullable(Type.String()),
    createdAt: DateTime,
  },
  { $id: 'Attachment' },
);

export const MessageOut = Type.Object(
  {
    id: Uuid,
    author: Type.Object({ id: Uuid, name: Type.String() }),
    side: Type.Union([Type.Literal('customer'), Type.Literal('lab')]),
    body: Type.String(),
    attachments: Type.Array(AttachmentOut),
    createdAt: DateTime,
  },
  { $id: 'Message' },
);

export const MessageList = Type.Object(
  {
    /** One page of the conversation, oldest first; the first page holds the newest messages. */
    items: Type.Array(MessageOut),
    /** The page of earlier messages, or null when this page reaches the first message. */
    nextCursor: Nullable(Type.String()),
    /** The caller may post (a member of the customer or of the lab, and the conversation is open). */
    canPost: Type.Boolean(),
    /** Read-only: the order was cancelled, closed or expired more than 30 days ago. */
    closed: Type.Boolean(),
    maxFileBytes: Type.Integer(),
    allowedExtensions: Type.Array(Type.String()),
  },
  { $id: 'MessageList' },
);

export const MessageListQuery = Type.Object({ ...ListQuery });

export const MessageCreate = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 5000 }) },
  { $id: 'MessageCreate', additionalProperties: false },
);

export const RatingOut = Type.Object(
  {
    orderId: Uuid,
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.String(),
    ratedBy: Type.Object({ id: Uuid, name: Type.String() }),
    ratedAt: DateTime,
    reply: Nullable(Type.String()),
    repliedBy: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
    repliedAt: Nullable(DateTime),
  },
  { $id: 'Rating' },
);

export const OrderRating = Type.Object(
  {
    rating: Nullable(RatingOut),
    /** The caller is the customer, the order is closed and not yet rated. */
    canRate: Type.Boolean(),
    /** The caller is a lab manager or staff, the order is rated and not yet answered. */
    canReply: Type.Boolean(),
  },
  { $id: 'OrderRating' },
);

export const RatingCreate = Type.Object(
  {
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { $id: 'RatingCreate', additionalProperties: false },
);

export const RatingReply = Type.Object(
  { reply: Type.String({ minLength: 1, maxLength: 2000 }) },
  { $id: 'RatingReply', additionalProperties: false },
);

export const LabRatingsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })) },
  { additionalProperties: false },
);

export const LabRatings = Type.Object(
  {
    labId: Uuid,
    /** Mean score, one decimal; null before the first rating. */
    average: Nullable(Type.Number()),
    count: Type.Integer(),
    /** How many ratings gave each score, "1" … "5". */
    distribution: Type.Object({
      '1': Type.Integer(),
      '2': Type.Integer(),
      '3': Type.Integer(),
      '4': Type.Integer(),
      '5': Type.Integer(),
    }),
    items: Type.Array(
      Type.Object({
        score: Type.Integer(),
        comment: Type.String(),
        /** The customer's name with its distinctive part hidden, e.g. "苏州****有限公司". */
        customer: Type.String(),
        ratedAt: DateTime,
        reply: Nullable(Type.String()),
        repliedAt: Nullable(DateTime),
      }),
    ),
  },
  { $id: 'LabRatings' },
);

export const LabOrderRatingsQuery = Type.Object(
  {
    /** Only the ratings the lab has not answered yet. */
    unanswered: Type.Optional(Type.Boolean()),
    ...ListQuery,
  },
  { additionalProperties: false },
);

export const LabOrderRatings = Type.Object(
  {
    /** Newest first; each rating with its order and its customer, named in full (the lab's own customers). */
    items: Type.Array(
      Type.Intersect([
        RatingOut,
        Type.Object({
          orderNumber: Type.String(),
          customer: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() }),
        }),
      ]),
    ),
    nextCursor: Nullable(Type.String()),
    /** All the lab's ratings and those not answered yet, whatever the filter. */
    counts: Type.Object({ all: Type.Integer(), unanswered: Type.Integer() }),
  },
  { $id: 'LabOrderRatings' },
);
