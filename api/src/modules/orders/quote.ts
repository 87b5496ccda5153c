import type { Order, OrderLine, ServiceKind, Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { unprocessable } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import { marksFor } from './accreditation-scope.ts';
import { needsSamplesFor } from './flow.ts';
import { notifySide } from './notify.ts';
import { fitsInt4, MAX_FEN, unitOfPriceModel } from './pricing.ts';
import { validScopeItems, type ValidScopeItem } from './repository/accreditation-scope.ts';
import { insertOrderLines, linesOfOrder, updateOrderLine } from './repository/lines.ts';
import { activeServicesOfLab } from './repository/parties.ts';
import { orderSettingsFor, quoteTermsOf } from './settings.ts';
import type { OrderDeps } from './deps.ts';
import { assertFrom, runStep } from './step.ts';
import { transitionOrder } from './transition.ts';

/** Prices the live lines, marks their scope, sets the totals and moves the order to quoted. */
export async function priceAndQuote(
  tx: Tx,
  order: Order,
  lines: OrderLine[],
  q: {
    prices: Map<string, number>;
    validUntil: string;
    notes: string;
    actor: Actor | null;
    side: 'lab' | 'system';
    auto: boolean;
    now: Date;
    /** The lab's valid scope on the quote date, when the caller has read it already. */
    scope?: ValidScopeItem[];
    /** More for the timeline entry (the scope items the lab chose, and the wording they replaced). */
    eventData?: Record<string, unknown>;
  },
) {
  const live = lines.filter((l) => l.removedAt === null);
  if (live.length === 0) throw unprocessable('no_lines', 'A quote needs at least one line.');
  const today = localDate(q.now);
  const scope = q.scope ?? (await validScopeItems(tx, order.labId, today));
  const valid = new Set(scope.map((i) => i.id));
  const lapsed = live.find((l) => l.scopeItemId !== null && !valid.has(l.scopeItemId));
  if (lapsed) {
    throw unprocessable(
      'scope_item_not_valid',
      `Line ${lapsed.position} is placed under a scope item that is not on a valid certificate of the lab today; choose another.`,
    );
  }
  // Every amount is checked before anything is written: the columns are 32-bit integers of fen.
  let subtotal = 0;
  const priced: { unit: number; amount: number }[] = [];
  for (const line of live) {
    const unit = q.prices.get(line.id) ?? line.unitPriceFen;
    if (unit === null || unit === undefined) {
      throw unprocessable('line_unpriced', `Line ${line.position} (${line.descriptionZh}) has no price.`);
    }
    const amount = unit * line.quantity;
    if (!fitsInt4(amount)) {
      throw unprocessable(
        'amount_too_large',
        `Line ${line.position} comes to more than ${MAX_FEN / 100} yuan; split it or lower the price.`,
      );
    }
    priced.push({ unit, amount });
    subtotal += amount;
  }
  if (!fitsInt4(subtotal)) {
    throw unprocessable(
      'amount_too_large',
      `The quote total comes to more than ${MAX_FEN / 100} yuan; split the order.`,
    );
  }
  // A line the lab placed under a scope item carries that item's parameter and standard, so it is
  // marked by it (and by the same item on the lab's other certificate); the others by their wording.
  const marks = marksFor(scope, live);
  const terms = quoteTermsOf(await orderSettingsFor(tx, order.labId));
  for (const [i, line] of live.entries()) {
    const { unit, amount } = priced[i]!;
    const mark = marks[i]!;
    await updateOrderLine(tx, line.id, {
      unitPriceFen: unit,
      amountFen: amount,
      inCmaScope: mark.inCmaScope,
      inCnasScope: mark.inCnasScope,
      cmaQualificationId: mark.cmaQualificationId,
      cnasQualificationId: mark.cnasQualificationId,
      scopeCheckedOn: today,
    });
  }
  const updated = await transitionOrder(
    tx,
    order,
    ['requested', 'quoted'],
    'quoted',
    {
      actor: q.actor,
      side: q.side,
      action: 'order.quoted',
      data: { subtotalFen: subtotal, validUntil: q.validUntil, auto: q.auto, lines: live.length, ...q.eventData },
    },
    {
      quotedAt: q.now,
      // The terms shown with the quote are the ones the customer accepts (see acceptOrder).
      quoteTerms: terms,
      quotedBy: q.actor?.userId ?? null,
      quoteValidUntil: q.validUntil,
      quoteNotes: q.notes,
      subtotalFen: subtotal,
      surchargeFen: 0,
      totalFen: subtotal,
      needsSamples: needsSamplesFor(live.map((l) => l.kind)),
    },
    q.now,
  );
  await notifySide(tx, updated, 'customer', {
    at: q.now,
    kind: 'order_quoted',
    occurrence: String(q.now.getTime()),
    titleZh: `订单 ${order.number} 已报价`,
    titleEn: `Order ${order.number} has a quote`,
    bodyZh: `报价合计 ${(subtotal / 100).toFixed(2)} 元，有效期至 ${q.validUntil}。`,
    bodyEn: `Total CNY ${(subtotal / 100).toFixed(2)}, valid until ${q.validUntil}.`,
  });
  return updated;
}

export interface QuoteInput {
  lines: {
    lineId: string;
    unitPriceFen: number;
    quantity?: number;
    sampleCount?: number;
    parameterZh?: string;
    standardCode?: string;
    /** The item of the lab's valid scope the line is tested under; null clears the choice (marked by its wording). */
    scopeItemId?: string | null;
  }[];
  addLines?: {
    serviceId?: string;
    kind?: ServiceKind;
    descriptionZh: string;
    descriptionEn?: string;
    parameterZh?: string;
    standardCode?: string;
    quantity: number;
    sampleCount?: number;
    unit?: string;
    unitPriceFen: number;
    scopeItemId?: string;
    details?: Record<string, unknown>;
  }[];
  removeLineIds?: string[];
  validUntil: string;
  notes?: string;
}

export function quoteOrder(deps: OrderDeps, actor: Actor | null, orderId: string, input: QuoteInput) {
  return runStep(deps, actor, orderId, 'quote', async (tx, { order }, role, now) => {
    assertFrom(order, 'quote', role);
    if (input.validUntil < localDate(now)) {
      throw unprocessable('invalid_validity', 'The quote must be valid at least until today.');
    }
    const lines = await linesOfOrder(tx, order.id);
    const byId = new Map(lines.map((l) => [l.id, l]));
    for (const id of [...input.lines.map((l) => l.lineId), ...(input.removeLineIds ?? [])]) {
      if (!byId.has(id)) throw unprocessable('unknown_line', `Line ${id} is not on this order.`);
    }
    // Scope items named in the quote must be the lab's own, on a certificate valid today.
    const scope = await validScopeItems(tx, order.labId, localDate(now));
    const scopeById = new Map(scope.map((i) => [i.id, i]));
    const chosen = (id: string | null | undefined, path: string): ValidScopeItem | null | undefined => {
      if (id === undefined || id === null) return id;
      const item = scopeById.get(id);
      if (!item) {
        throw unprocessable(
          'scope_item_not_valid',
          'Choose an item of your own CMA / CNAS scope, on a certificate valid today.',
          [{ path, code: 'scope_item_not_valid', message: '请选择本实验室有效资质范围内的项目' }],
        );
      }
      return item;
    };
    const picks = input.lines.map((p, i) => chosen(p.scopeItemId, `/lines/${i}/scopeItemId`));
    const addPicks = (input.addLines ?? []).map((l, i) => chosen(l.scopeItemId, `/addLines/${i}/scopeItemId`));
    // What the lab's choice replaced, kept on the timeline: the customer's own wording of the line.
    const scopeChoices: Record<string, unknown>[] = [];
    for (const id of input.removeLineIds ?? []) {
      const line = byId.get(id)!;
      if (line.removedAt === null) {
        await updateOrderLine(tx, id, { removedAt: now });
        line.removedAt = now;
      }
    }
    for (const [i, p] of input.lines.entries()) {
      const line = byId.get(p.lineId)!;
      if (line.removedAt !== null) throw unprocessable('line_removed', `Line ${line.position} was withdrawn.`);
      const set: Partial<OrderLine> = {};
      if (p.quantity !== undefined) set.quantity = p.quantity;
      if (p.sampleCount !== undefined) set.sampleCount = p.sampleCount;
      if (p.parameterZh !== undefined) set.parameterZh = p.parameterZh;
      if (p.standardCode !== undefined) set.standardCode = p.standardCode;
      const item = picks[i];
      if (item === null) set.scopeItemId = null;
      if (item) {
        // The line is tested under the chosen item: its parameter and standard become the line's.
        Object.assign(set, { scopeItemId: item.id, parameterZh: item.parameterZh, standardCode: item.standardCode });
        if (line.scopeItemId !== item.id) {
          scopeChoices.push({
            position: line.position,
            scopeItemId: item.id,
            was: { parameterZh: p.parameterZh ?? line.parameterZh, standardCode: p.standardCode ?? line.standardCode },
          });
        }
      }
      if (Object.keys(set).length > 0) {
        await updateOrderLine(tx, line.id, set);
        Object.assign(line, set);
      }
    }
    const prices = new Map(input.lines.map((p) => [p.lineId, p.unitPriceFen]));
    let position = lines.reduce((max, l) => Math.max(max, l.position), 0);
    const addIds = (input.addLines ?? []).flatMap((l) => (l.serviceId ? [l.serviceId] : []));
    const offered = addIds.length ? await activeServicesOfLab(tx, order.labId, addIds) : [];
    const serviceById = new Map(offered.map((s) => [s.id, s]));
    for (const [i, add] of (input.addLines ?? []).entries()) {
      const service = add.serviceId ? serviceById.get(add.serviceId) : undefined;
      if (add.serviceId && !service) {
        throw unprocessable('service_not_offered', 'This lab does not offer that service.', [
          { path: `/addLines/${i}/serviceId`, code: 'service_not_offered', message: '该实验室未提供此服务' },
        ]);
      }
      const kind = service?.kind ?? add.kind;
      if (!kind) throw unprocessable('kind_required', 'A line without a catalogue service needs its kind.');
      const item = addPicks[i];
      position += 1;
      const [row] = await insertOrderLines(tx, [
        {
          orderId: order.id,
          position,
          serviceId: service?.id ?? null,
          kind,
          descriptionZh: add.descriptionZh,
          descriptionEn: add.descriptionEn ?? service?.nameEn ?? '',
          parameterZh: item?.parameterZh ?? add.parameterZh ?? '',
          standardCode: item?.standardCode ?? add.standardCode ?? service?.standardMethods[0] ?? '',
          scopeItemId: item?.id ?? null,
          quantity: add.quantity,
          sampleCount: add.sampleCount ?? null,
          unit: add.unit ?? (service ? unitOfPriceModel(service.priceModel) : 'item'),
          details: add.details ?? {},
          addedBy: 'lab',
          createdAt: now,
        },
      ]);
      lines.push(row!);
      prices.set(row!.id, add.unitPriceFen);
    }
    const a = requireActor(actor);
    await priceAndQuote(tx, order, lines, {
      prices,
      validUntil: input.validUntil,
      notes: input.notes ?? '',
      actor: a,
      side: 'lab',
      auto: false,
      now,
      scope,
      ...(scopeChoices.length > 0 ? { eventData: { scopeChoices } } : {}),
    });
  });
}
