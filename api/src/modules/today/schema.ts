import { memberRole } from '@qihub/db';
import { Type, type Static } from 'typebox';
import { DateTime, LocalDate, MoneyOrNull, Nullable, Uuid } from '../../lib/schema.ts';
import { TODAY_SECTIONS } from './repository.ts';

export const TodaySectionKey = Type.Enum(TODAY_SECTIONS, { $id: 'TodaySectionKey' });

/**
 * One thing to act on: a booking (instrument, customer, booker, start and end), an order (number,
 * title, customer, requester, due date or request time), a report (its order's number and title,
 * the tester), a bank line (payer, remark, date, amount) or an invoice (number, customer, due date,
 * amount still open), or a sample due to leave the lab (its code and name, the customer, where it is
 * kept as `person`, due since, and the commission form's return / dispose as `status`). Links are the web's job; `id` names the thing itself, `orderId` its order.
 */
export const TodayItem = Type.Object(
  {
    id: Uuid,
    orderId: Nullable(Uuid),
    ref: Nullable(Type.String()),
    titleZh: Type.String(),
    titleEn: Type.String(),
    customerZh: Nullable(Type.String()),
    customerEn: Nullable(Type.String()),
    person: Nullable(Type.String()),
    at: Nullable(DateTime),
    until: Nullable(DateTime),
    date: Nullable(LocalDate),
    amount: MoneyOrNull,
    status: Type.String(),
  },
  { $id: 'TodayItem', additionalProperties: false },
);

export const TodaySectionOut = Type.Object(
  {
    key: TodaySectionKey,
    count: Type.Integer({ minimum: 0 }),
    items: Type.Array(TodayItem, { description: 'The first few, in the order they are worked through' }),
  },
  { $id: 'TodaySection', additionalProperties: false },
);

export const Today = Type.Object(
  {
    labId: Uuid,
    date: LocalDate,
    timeZone: Type.String({ description: 'The zone the date belongs to (Asia/Shanghai)' }),
    dueBy: Type.String({
      format: 'date-time',
      description: 'End of the next working day: orders due by then count as due',
    }),
    role: Type.Enum(memberRole.enumValues),
    signatory: Type.Boolean({ description: 'The member is an authorised signatory (授权签字人) of the lab' }),
    landing: Type.Union([Type.Literal('today'), Type.Literal('reviews')], {
      description: 'Where the console opens for this member: the Today page, or the review queue for a reviewer',
    }),
    sections: Type.Array(TodaySectionOut, {
      description: 'Every section in a fixed order; the money sections only for managers and staff',
    }),
  },
  { $id: 'Today', additionalProperties: false },
);
export type Today = Static<typeof Today>;
