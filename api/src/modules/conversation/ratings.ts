import type { Db, DbOrTx } from '@qihub/db';
import { isLabMember, requireActor, type Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { conflict, forbidden, notFound, validationFailed } from '../../lib/errors.ts';
import { assertSide, LAB_ORDER_MANAGERS, loadOrderFor, type OrderAccess } from '../orders/index.ts';
import { recordOrderEvent } from '../orders/index.ts';
import { maskOrganisationName } from './mask.ts';
import { notifySide, preview } from './notify.ts';
import * as repo from './repository.ts';

/**
 * After an order closes, its customer rates it once (1–5 and a comment); the lab's managers or staff
 * may answer once. The lab's public page shows the average and recent comments, naming the customer
 * only as a masked enterprise name.
 */
export interface RatingDeps {
  db: Db;
  clock: () => Date;
}

async function ratingView(db: DbOrTx, orderId: string) {
  const row = await repo.findRating(db, orderId);
  if (!row) return null;
  const { r } = row;
  return {
    orderId: r.orderId,
    score: r.score,
    comment: r.comment,
    ratedBy: { id: r.ratedBy, name: row.raterName },
    ratedAt: r.ratedAt.toISOString(),
    reply: r.reply,
    repliedBy: r.repliedBy ? { id: r.repliedBy, name: row.replierName ?? '' } : null,
    repliedAt: r.repliedAt?.toISOString() ?? null,
  };
}

const isLabManager = (access: OrderAccess) =>
  access.side === 'lab' && !!access.role && LAB_ORDER_MANAGERS.includes(access.role);

export async function getRating(deps: RatingDeps, actor: Actor | null, orderId: string) {
  const a = requireActor(actor);
  const access = await loadOrderFor(deps.db, a, orderId);
  const rating = await ratingView(deps.db, orderId);
  return {
    rating,
    canRate: access.side === 'customer' && !!a.userId && access.order.status === 'closed' && rating === null,
    canReply: isLabManager(access) && !!a.userId && rating !== null && rating.reply === null,
  };
}

export async function rateOrder(
  deps: RatingDeps,
  actor: Actor | null,
  orderId: string,
  input: { score: number; comment?: string },
) {
  const a = requireActor(actor);
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    const access = await loadOrderFor(tx, a, orderId);
    assertSide(access, 'customer');
    if (!a.userId) throw forbidden('Ratings are given by people, not by API tokens.');
    const order = access.order;
    if (order.status !== 'closed') {
      throw conflict('order_not_closed', `The order is ${order.status}; it can be rated once it is closed.`);
    }
    const comment = (input.comment ?? '').trim();
    const inserted = await repo.insertRating(tx, {
      orderId,
      labId: order.labId,
      score: input.score,
      comment,
      ratedBy: a.userId,
      ratedAt: now,
    });
    if (!inserted) throw conflict('already_rated', 'This order has already been rated.');
    await recordOrderEvent(
      tx,
      order,
      {
        actor: a,
        side: 'customer',
        action: 'order.rated',
        data: { score: input.score },
      },
      now,
    );
    const stars = '★'.repeat(input.score) + '☆'.repeat(5 - input.score);
    await notifySide(tx, order, 'lab', a.userId, `order-rated:${orderId}`, {
      at: now,
      kind: 'order_rated',
      titleZh: `订单 ${order.number} 收到客户评价 ${stars}`,
      titleEn: `Order ${order.number} was rated ${input.score}/5`,
      bodyZh: comment ? `评价：${preview(comment, 80)}（可回复一次）` : '客户未留言。您可以回复一次。',
      bodyEn: comment ? `Comment: ${preview(comment, 80)} (you may reply once)` : 'No comment. You may reply once.',
    });
  });
  return (await ratingView(deps.db, orderId))!;
}

export async function replyToRating(deps: RatingDeps, actor: Actor | null, orderId: string, input: { reply: string }) {
  const a = requireActor(actor);
  const now = deps.clock();
  const reply = input.reply.trim();
  await deps.db.transaction(async (tx) => {
    const access = await loadOrderFor(tx, a, orderId);
    assertSide(access, 'lab', LAB_ORDER_MANAGERS);
    if (!a.userId) throw forbidden('Replies are written by people, not by API tokens.');
    if (!reply) throw validationFailed([{ path: '/reply', code: 'too_short', message: 'A reply needs some text.' }]);
    const updated = await repo.setRatingReply(tx, orderId, { reply, repliedBy: a.userId, repliedAt: now });
    if (!updated) {
      if (!(await repo.ratingExists(tx, orderId))) throw notFound('rating');
      throw conflict('already_replied', 'The lab has already replied to this rating.');
    }
    await recordOrderEvent(tx, access.order, { actor: a, side: 'lab', action: 'rating.replied' }, now);
    await notifySide(tx, access.order, 'customer', a.userId, `rating-reply:${orderId}`, {
      at: now,
      kind: 'rating_replied',
      titleZh: `实验室回复了您对订单 ${access.order.number} 的评价`,
      titleEn: `The lab replied to your rating of order ${access.order.number}`,
      bodyZh: preview(reply, 80),
      bodyEn: preview(reply, 80),
    });
  });
  return (await ratingView(deps.db, orderId))!;
}

/** Public: a lab's average score and its most recent ratings, customers masked. */
export async function labRatings(deps: RatingDeps, labId: string, query: { limit?: number }) {
  if (!(await repo.isActiveLab(deps.db, labId))) throw notFound('lab');
  const counts = await repo.countRatingsByScore(deps.db, labId);
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  let count = 0;
  let sum = 0;
  for (const c of counts) {
    distribution[String(c.score) as keyof typeof distribution] = c.n;
    count += c.n;
    sum += c.n * c.score;
  }
  const recent = await repo.findRecentRatings(deps.db, labId, query.limit ?? 10);
  return {
    labId,
    average: count === 0 ? null : Math.round((sum / count) * 10) / 10,
    count,
    distribution,
    items: recent.map(({ r, customerName }) => ({
      score: r.score,
      comment: r.comment,
      customer: maskOrganisationName(customerName),
      ratedAt: r.ratedAt.toISOString(),
      reply: r.reply,
      repliedAt: r.repliedAt?.toISOString() ?? null,
    })),
  };
}

const LAB_RATINGS_CURSOR = 'lab-ratings';

/**
 * The lab's own list of its ratings (members of the lab): newest first, every customer named, so
 * that managers and staff can find the ones still waiting for a reply.
 */
export async function labOrderRatings(
  deps: RatingDeps,
  actor: Actor | null,
  labId: string,
  query: { unanswered?: boolean; limit?: number; cursor?: string },
) {
  const a = requireActor(actor);
  if (!isLabMember(a, labId)) throw forbidden("Only members of this lab can read its ratings' list.");
  const after = query.cursor ? decodeCursor(query.cursor, LAB_RATINGS_CURSOR, 'timestamptz') : undefined;
  const limit = query.limit ?? 20;
  const [rows, counts] = await Promise.all([
    repo.findLabRatingsPage(deps.db, labId, {
      limit: limit + 1,
      unanswered: query.unanswered ?? false,
      after: after ? { at: String(after.key), id: after.id } : undefined,
    }),
    repo.countLabRatings(deps.db, labId),
  ]);
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(({ r, raterName, replierName, orderNumber, customer }) => ({
      orderId: r.orderId,
      orderNumber,
      customer,
      score: r.score,
      comment: r.comment,
      ratedBy: { id: r.ratedBy, name: raterName },
      ratedAt: r.ratedAt.toISOString(),
      reply: r.reply,
      repliedBy: r.repliedBy ? { id: r.repliedBy, name: replierName ?? '' } : null,
      repliedAt: r.repliedAt?.toISOString() ?? null,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(LAB_RATINGS_CURSOR, last.at, last.r.orderId) : null,
    counts,
  };
}
