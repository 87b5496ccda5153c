import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import { DateTime } from 'luxon';
import {
  bookings,
  enterpriseOfficers,
  labOrderSettings,
  orderLines,
  orderObjections,
  orderSamples,
  orders,
  organisations,
  reports,
  services,
  type CommissionForm,
  type Db,
  type Order,
  type OrderLine,
  type QuoteTerms,
  type ServiceKind,
  type Tx,
} from '@qihub/db';
import { isAdmitted, membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { applyBasisPoints } from '../../lib/money.ts';
import { localDate, PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import * as bookingRepo from '../bookings/index.ts';
import { loadOrderFor, type OrderAccess } from './access.ts';
import {
  CUSTOMER_FREE_CANCEL,
  CUSTOMER_LATE_CANCEL_FEE_PCT,
  fromStates,
  KINDS_NEEDING_SAMPLES,
  mayAct,
  roleOf,
  type FlowAction,
  type FlowRole,
} from './flow.ts';
import { notifySide } from './notify.ts';
import { marksFor, validScopeItems, type ValidScopeItem } from './scope.ts';
import { assertReportPrefixFree, claimReportPrefix, reportPrefixRace } from './report-prefix.ts';
import {
  DEFAULT_ORDER_SETTINGS,
  orderSettingsFor,
  quoteTermsOf,
  termsOfOrder,
  type OrderSettings,
} from './settings.ts';
import { recordOrderEvent, transitionOrder, nextSequence } from './transition.ts';
import { orderDetail, orderViews } from './view.ts';
import { addWorkingDays } from './workingdays.ts';

export interface OrderDeps {
  db: Db;
  clock: () => Date;
}

const UNIT_OF_PRICE_MODEL: Record<string, string> = {
  fixed: 'item',
  per_sample: 'sample',
  per_hour: 'hour',
  on_quote: 'item',
};

const EXPEDITE_HOURS = { h72: 72, h24: 24, h8: 8 } as const;
type Expedite = keyof typeof EXPEDITE_HOURS;

/** The surcharge of an expedite tier under the quote's terms. */
export function expeditePct(terms: QuoteTerms, tier: Expedite): number {
  return tier === 'h72' ? terms.expediteH72Pct : tier === 'h24' ? terms.expediteH24Pct : terms.expediteH8Pct;
}

/**
 * The priced quantity of a requested line. The number of samples is not the priced quantity (three
 * samples of a salt-spray test are not three hours): it stands in only for a service priced per
 * sample or per item. Otherwise, unless the customer gave the quantity, the lab sets it when quoting.
 */
export function requestedQuantity(
  line: { quantity?: number; sampleCount?: number },
  unit: string,
): { quantity: number; known: boolean } {
  if (line.quantity !== undefined) return { quantity: line.quantity, known: true };
  if (unit === 'sample' || unit === 'item') return { quantity: line.sampleCount ?? 1, known: true };
  return { quantity: 1, known: false };
}

/** Due instant from the clock start: expedite hours, or a tier of working days. */
export function dueAtFor(order: Pick<Order, 'expedite' | 'deadlineTierDays'>, clockStart: Date): Date | null {
  if (order.expedite !== 'none') return new Date(clockStart.getTime() + EXPEDITE_HOURS[order.expedite] * 3_600_000);
  if (order.deadlineTierDays) return addWorkingDays(clockStart, order.deadlineTierDays);
  return null;
}

/** The largest amount of fen the order columns (PostgreSQL integer) hold. */
export const MAX_FEN = 2_147_483_647;
export const fitsInt4 = (fen: number) => Number.isSafeInteger(fen) && fen >= 0 && fen <= MAX_FEN;

export const needsSamplesFor = (kinds: readonly string[]) => kinds.some((k) => KINDS_NEEDING_SAMPLES.has(k));

/**
 * One step on one order in one transaction: locks the order, resolves the caller's side (404 to
 * strangers), checks the flow's roles (403), then runs the step, which moves the state through
 * `transitionOrder` (409 illegal_transition). Answers the order as the caller now sees it.
 */
export async function runStep(
  deps: OrderDeps,
  actor: Actor | null,
  orderId: string,
  action: FlowAction,
  body: (tx: Tx, access: OrderAccess, role: FlowRole, now: Date) => Promise<void>,
) {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const access = await loadOrderFor(tx, a, orderId, { forUpdate: true });
    const role = roleOf(access);
    if (!mayAct(action, role)) throw forbidden(`Only ${whoText(action)} may do this.`);
    const now = deps.clock();
    await body(tx, access, role, now);
    const fresh = await loadOrderFor(tx, a, orderId);
    return orderDetail(tx, fresh);
  });
}

function whoText(action: FlowAction): string {
  switch (action) {
    case 'accept':
    case 'decline':
    case 'object':
    case 'close':
      return 'the customer';
    case 'cancel':
      return "the customer or the lab's manager";
    case 'resolve_upheld':
    case 'resolve_dismissed':
      return "the lab's manager";
    default:
      return "the lab's managers and staff";
  }
}

/** Guard for a step that must start from the flow's states (for steps that are not a status change). */
export function assertFrom(order: Order, action: FlowAction, role: FlowRole) {
  const from = fromStates(action, role);
  if (!from.includes(order.status)) {
    throw conflict(
      'illegal_transition',
      `The order is ${order.status}; this step needs it to be ${from.join(' or ')}.`,
    );
  }
}

/* ───────────────────────────── request ───────────────────────────── */

export interface CreateOrderInput {
  labId: string;
  customerOrgId?: string;
  titleZh?: string;
  requestNotes: string;
  lines: {
    serviceId: string;
    /** The priced quantity in the service's unit (hours, samples …); see `requestedQuantity`. */
    quantity?: number;
    /** How many samples (or instruments to calibrate) the customer sends. */
    sampleCount?: number;
    parameterZh?: string;
    standardCode?: string;
    details?: Record<string, unknown>;
  }[];
}

function customerOrgOf(actor: Actor, wanted?: string): string {
  const enterprises = actor.memberships.filter((m) => m.orgKind === 'enterprise' && m.orgStatus === 'active');
  if (wanted) {
    if (!enterprises.some((m) => m.orgId === wanted))
      throw forbidden('Order on behalf of an enterprise you belong to.');
    return wanted;
  }
  const first = enterprises[0];
  if (!first) throw forbidden('Orders are placed by members of an enterprise.');
  return first.orgId;
}

export async function createOrder(
  deps: OrderDeps,
  actor: Actor | null,
  input: CreateOrderInput,
  idempotencyKey?: string,
): Promise<{ replayed: boolean; body: Awaited<ReturnType<typeof orderDetail>> }> {
  const a = requireActor(actor);
  if (a.kind !== 'user' || !a.userId) throw forbidden('Orders are placed by people, not API tokens.');
  const customerOrgId = customerOrgOf(a, input.customerOrgId);
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  if (idempotencyKey) {
    const replay = await bookingRepo.findIdempotent(deps.db, a.userId, `order:${idempotencyKey}`);
    if (replay) return replayed(replay, requestHash);
  }
  try {
    return await deps.db.transaction(async (tx) => {
      const body = await insertOrder(tx, deps, a, customerOrgId, input);
      if (idempotencyKey) {
        await bookingRepo.saveIdempotent(tx, {
          userId: a.userId!,
          key: `order:${idempotencyKey}`,
          requestHash,
          statusCode: 201,
          response: body,
        });
      }
      return { replayed: false, body };
    });
  } catch (error) {
    if (idempotencyKey) {
      const replay = await bookingRepo.findIdempotent(deps.db, a.userId, `order:${idempotencyKey}`);
      if (replay) return replayed(replay, requestHash);
    }
    throw error;
  }
}

function replayed(row: { requestHash: string; response: unknown }, requestHash: string) {
  if (row.requestHash !== requestHash) {
    throw unprocessable('idempotency_mismatch', 'This Idempotency-Key was used with a different request.');
  }
  return { replayed: true, body: row.response as Awaited<ReturnType<typeof orderDetail>> };
}

async function insertOrder(tx: Tx, deps: OrderDeps, actor: Actor, customerOrgId: string, input: CreateOrderInput) {
  const [lab] = await tx
    .select({
      id: organisations.id,
      kind: organisations.kind,
      status: organisations.status,
      nameZh: organisations.nameZh,
    })
    .from(organisations)
    .where(eq(organisations.id, input.labId))
    .limit(1);
  if (!lab || lab.kind !== 'lab') throw notFound('lab');
  if (!isAdmitted(lab.status)) throw unprocessable('lab_not_active', 'This lab is not admitted to the platform (yet).');
  if (customerOrgId === lab.id) throw unprocessable('own_lab', 'A lab cannot order from itself.');
  const ids = [...new Set(input.lines.map((l) => l.serviceId))];
  const offered = await tx
    .select()
    .from(services)
    .where(and(inArray(services.id, ids), eq(services.labId, lab.id), eq(services.status, 'active')));
  const byId = new Map(offered.map((s) => [s.id, s]));
  const missing = input.lines.findIndex((l) => !byId.has(l.serviceId));
  if (missing >= 0) {
    throw unprocessable('service_not_offered', 'This lab does not offer one of the services (or it is retired).', [
      { path: `/lines/${missing}/serviceId`, code: 'service_not_offered', message: '该实验室未提供此服务' },
    ]);
  }
  const now = deps.clock();
  const year = Number(localDate(now).slice(0, 4));
  const seq = await nextSequence(tx, 'order_sequences', { year });
  const number = `QI${year}${String(seq).padStart(6, '0')}`;
  const first = byId.get(input.lines[0]!.serviceId)!;
  const kinds = input.lines.map((l) => byId.get(l.serviceId)!.kind);
  const [order] = await tx
    .insert(orders)
    .values({
      number,
      customerOrgId,
      labId: lab.id,
      requestedBy: actor.userId!,
      titleZh: input.titleZh ?? (input.lines.length > 1 ? `${first.nameZh} 等 ${input.lines.length} 项` : first.nameZh),
      requestNotes: input.requestNotes,
      needsSamples: needsSamplesFor(kinds),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const quantities = input.lines.map((l) =>
    requestedQuantity(l, UNIT_OF_PRICE_MODEL[byId.get(l.serviceId)!.priceModel] ?? 'item'),
  );
  await tx.insert(orderLines).values(
    input.lines.map((l, i) => {
      const s = byId.get(l.serviceId)!;
      return {
        orderId: order!.id,
        position: i + 1,
        serviceId: s.id,
        kind: s.kind,
        descriptionZh: s.nameZh,
        descriptionEn: s.nameEn,
        parameterZh: l.parameterZh ?? '',
        standardCode: l.standardCode ?? s.standardMethods[0] ?? '',
        quantity: quantities[i]!.quantity,
        unit: UNIT_OF_PRICE_MODEL[s.priceModel] ?? 'item',
        sampleCount: l.sampleCount ?? null,
        details: l.details ?? {},
        addedBy: 'customer',
        createdAt: now,
      };
    }),
  );
  await recordOrderEvent(tx, order!, {
    actor,
    side: 'customer',
    action: 'order.requested',
    to: 'requested',
    data: { number, lines: input.lines.length },
  });
  await notifySide(tx, order!, 'lab', {
    kind: 'order_requested',
    titleZh: `新的委托申请 ${number}`,
    titleEn: `New order request ${number}`,
    bodyZh: `${order!.titleZh}：请报价。`,
    bodyEn: `${order!.titleZh}: please send a quote.`,
  });
  const settings = await orderSettingsFor(tx, lab.id);
  // Quoted at once only when every line has its price and its priced quantity (hours of a test
  // the customer did not state are the lab's to set).
  const fixed = input.lines.every((l, i) => byId.get(l.serviceId)!.priceAmount !== null && quantities[i]!.known);
  if (fixed && settings.autoQuoteFixedPrice) {
    const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order!.id));
    await priceAndQuote(tx, order!, lines, {
      prices: new Map(lines.map((l) => [l.id, byId.get(l.serviceId!)!.priceAmount!])),
      validUntil: DateTime.fromISO(localDate(now), { zone: PLATFORM_TIME_ZONE })
        .plus({ days: settings.quoteValidityDays })
        .toISODate()!,
      notes: '',
      actor: null,
      side: 'system',
      auto: true,
      now,
    });
  }
  const access = await loadOrderFor(tx, actor, order!.id);
  return orderDetail(tx, access);
}

/** Prices the live lines, marks their scope, sets the totals and moves the order to quoted. */
async function priceAndQuote(
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
    await tx
      .update(orderLines)
      .set({
        unitPriceFen: unit,
        amountFen: amount,
        inCmaScope: mark.inCmaScope,
        inCnasScope: mark.inCnasScope,
        cmaQualificationId: mark.cmaQualificationId,
        cnasQualificationId: mark.cnasQualificationId,
        scopeCheckedOn: today,
      })
      .where(eq(orderLines.id, line.id));
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
    kind: 'order_quoted',
    occurrence: String(q.now.getTime()),
    titleZh: `订单 ${order.number} 已报价`,
    titleEn: `Order ${order.number} has a quote`,
    bodyZh: `报价合计 ${(subtotal / 100).toFixed(2)} 元，有效期至 ${q.validUntil}。`,
    bodyEn: `Total CNY ${(subtotal / 100).toFixed(2)}, valid until ${q.validUntil}.`,
  });
  return updated;
}

/* ───────────────────────────── quote ───────────────────────────── */

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
    const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id));
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
        await tx.update(orderLines).set({ removedAt: now }).where(eq(orderLines.id, id));
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
        await tx.update(orderLines).set(set).where(eq(orderLines.id, line.id));
        Object.assign(line, set);
      }
    }
    const prices = new Map(input.lines.map((p) => [p.lineId, p.unitPriceFen]));
    let position = lines.reduce((max, l) => Math.max(max, l.position), 0);
    const addIds = (input.addLines ?? []).flatMap((l) => (l.serviceId ? [l.serviceId] : []));
    const offered = addIds.length
      ? await tx
          .select()
          .from(services)
          .where(and(inArray(services.id, addIds), eq(services.labId, order.labId), eq(services.status, 'active')))
      : [];
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
      const [row] = await tx
        .insert(orderLines)
        .values({
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
          unit: add.unit ?? (service ? (UNIT_OF_PRICE_MODEL[service.priceModel] ?? 'item') : 'item'),
          details: add.details ?? {},
          addedBy: 'lab',
          createdAt: now,
        })
        .returning();
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

/* ───────────────────────────── accept / decline ───────────────────────────── */

export interface AcceptInput {
  /** The instant of the quote the customer saw (the order's `quotedAt`): a re-quote since is refused. */
  quotedAt: string;
  commission: CommissionForm;
  deadlineTierDays?: 5 | 15 | 25 | 30;
  expedite?: Expedite;
  samples?: { nameZh: string; quantity: number; unit?: string }[];
}

export function acceptOrder(deps: OrderDeps, actor: Actor | null, orderId: string, input: AcceptInput) {
  return runStep(deps, actor, orderId, 'accept', async (tx, { order }, role, now) => {
    assertFrom(order, 'accept', role);
    const seen = Date.parse(input.quotedAt);
    if (!order.quotedAt || Number.isNaN(seen) || seen !== order.quotedAt.getTime()) {
      throw conflict(
        'quote_changed',
        `The lab changed the quote (now of ${order.quotedAt?.toISOString() ?? 'none'}); check it and accept again.`,
      );
    }
    if (order.quoteValidUntil && order.quoteValidUntil < localDate(now)) {
      throw conflict('quote_expired', `The quote was valid until ${order.quoteValidUntil}; ask the lab for a new one.`);
    }
    if ((input.deadlineTierDays === undefined) === (input.expedite === undefined)) {
      throw unprocessable(
        'deadline_required',
        'Choose either a deadline tier (5/15/25/30 working days) or an expedite tier.',
      );
    }
    if (input.commission.reportDelivery === 'post' && input.commission.deliveryAddress.trim() === '') {
      throw unprocessable('validation_failed', 'Delivery by post needs an address.', [
        { path: '/commission/deliveryAddress', code: 'required', message: '邮寄交付需填写地址' },
      ]);
    }
    // The terms shown with the quote bind, not the lab's settings today.
    const terms = await termsOfOrder(tx, order);
    const pct = input.expedite ? expeditePct(terms, input.expedite) : 0;
    const surcharge = applyBasisPoints(order.subtotalFen, pct * 100);
    // Checked before anything is written: the total is a 32-bit integer of fen.
    if (!fitsInt4(surcharge) || !fitsInt4(order.subtotalFen + surcharge)) {
      throw unprocessable(
        'amount_too_large',
        `With the ${pct} % expedite surcharge the order comes to more than ${MAX_FEN / 100} yuan; choose another tier or split the order.`,
      );
    }
    const a = requireActor(actor);
    const accepted = await transitionOrder(
      tx,
      order,
      ['quoted'],
      'accepted',
      {
        actor: a,
        side: 'customer',
        action: 'order.accepted',
        data: {
          deadlineTierDays: input.deadlineTierDays ?? null,
          expedite: input.expedite ?? 'none',
          surchargeFen: surcharge,
        },
      },
      {
        acceptedAt: now,
        acceptedBy: a.userId,
        commission: input.commission,
        deadlineTierDays: input.deadlineTierDays ?? null,
        expedite: input.expedite ?? 'none',
        expeditePct: pct,
        surchargeFen: surcharge,
        totalFen: order.subtotalFen + surcharge,
      },
      now,
    );
    await notifySide(tx, accepted, 'lab', {
      kind: 'order_accepted',
      titleZh: `订单 ${order.number} 已确认委托`,
      titleEn: `Order ${order.number} accepted`,
      bodyZh: order.needsSamples ? '客户已填写委托单，等待送样。' : '客户已填写委托单，可开始工作。',
      bodyEn: order.needsSamples
        ? 'The customer filled in the commission form; samples are on their way.'
        : 'The customer filled in the commission form; work can start.',
    });
    if (accepted.needsSamples) {
      const wanted = input.samples ?? [{ nameZh: input.commission.sampleName, quantity: input.commission.quantity }];
      await tx.insert(orderSamples).values(
        wanted.map((s, i) => ({
          orderId: order.id,
          code: `${order.number}-S${i + 1}`,
          nameZh: s.nameZh,
          quantity: s.quantity,
          unit: s.unit ?? '件',
          createdAt: now,
        })),
      );
      await transitionOrder(
        tx,
        accepted,
        ['accepted'],
        'awaiting_samples',
        { actor: a, side: 'customer', action: 'order.awaiting_samples', data: { samples: wanted.length } },
        {},
        now,
      );
    } else {
      await transitionOrder(
        tx,
        accepted,
        ['accepted'],
        'in_progress',
        { actor: a, side: 'customer', action: 'order.work_started', data: { clockStarted: true } },
        { clockStartedAt: now, dueAt: dueAtFor(accepted, now), workStartedAt: now },
        now,
      );
    }
  });
}

export function declineOrder(deps: OrderDeps, actor: Actor | null, orderId: string, reason: string | undefined) {
  return runStep(deps, actor, orderId, 'decline', async (tx, { order }, role, now) => {
    assertFrom(order, 'decline', role);
    const a = requireActor(actor);
    const updated = await transitionOrder(
      tx,
      order,
      ['quoted'],
      'cancelled',
      { actor: a, side: 'customer', action: 'order.declined', data: { reason: reason ?? '' } },
      {
        cancelledAt: now,
        cancelledBy: a.userId,
        cancelReason: reason || '客户拒绝报价 (quote declined)',
        cancellationFeeFen: 0,
      },
      now,
    );
    await notifySide(tx, updated, 'lab', {
      kind: 'order_declined',
      titleZh: `订单 ${order.number} 的报价被拒绝`,
      titleEn: `The quote for order ${order.number} was declined`,
      bodyZh: reason ?? '',
      bodyEn: reason ?? '',
    });
  });
}

/* ───────────────────────────── work ───────────────────────────── */

export function startOrder(deps: OrderDeps, actor: Actor | null, orderId: string) {
  return runStep(deps, actor, orderId, 'start', async (tx, { order }, role, now) => {
    assertFrom(order, 'start', role);
    await transitionOrder(
      tx,
      order,
      ['samples_received'],
      'in_progress',
      { actor: requireActor(actor), side: 'lab', action: 'order.work_started' },
      { workStartedAt: order.workStartedAt ?? now },
      now,
    );
  });
}

/** Completion stamps when a deliverable (or report) is issued: on time or late, waiver, objection window. */
export function issueStamps(order: Order, terms: Pick<QuoteTerms, 'objectionDays'>, now: Date): Partial<Order> {
  const objectionUntil = new Date(now.getTime() + terms.objectionDays * 86_400_000);
  // Only the first issue decides on time and the waiver (as for reports): a redelivery after an
  // upheld objection is rework, not the deadline the customer paid an expedite surcharge for.
  if (order.reportIssuedAt !== null) return { objectionUntil };
  const onTime = order.dueAt === null ? null : now.getTime() <= order.dueAt.getTime();
  const waive = onTime === false && order.surchargeFen > 0;
  return {
    reportIssuedAt: now,
    onTime,
    ...(waive ? { surchargeWaived: true, totalFen: order.subtotalFen } : {}),
    objectionUntil,
  };
}

export function deliverOrder(deps: OrderDeps, actor: Actor | null, orderId: string) {
  return runStep(deps, actor, orderId, 'deliver', async (tx, { order }, role, now) => {
    assertFrom(order, 'deliver', role);
    if (order.needsSamples) {
      throw conflict('illegal_transition', 'Orders with samples are completed by issuing a test report.');
    }
    const terms = await termsOfOrder(tx, order);
    const updated = await transitionOrder(
      tx,
      order,
      ['in_progress'],
      'report_issued',
      { actor: requireActor(actor), side: 'lab', action: 'order.delivered' },
      issueStamps(order, terms, now),
      now,
    );
    await notifySide(tx, updated, 'customer', {
      kind: 'order_delivered',
      occurrence: String(now.getTime()),
      titleZh: `订单 ${order.number} 已交付`,
      titleEn: `Order ${order.number} delivered`,
      bodyZh: `如有异议，请在 ${terms.objectionDays} 天内提出。`,
      bodyEn: `Raise any objection within ${terms.objectionDays} days.`,
    });
  });
}

/* ───────────────────────────── cancel ───────────────────────────── */

export function cancelOrder(deps: OrderDeps, actor: Actor | null, orderId: string, reason: string) {
  return runStep(deps, actor, orderId, 'cancel', async (tx, { order }, role, now) => {
    assertFrom(order, 'cancel', role);
    const a = requireActor(actor);
    const customer = role === 'customer';
    // The late fee is owed once the lab holds any sample: after all arrived (samples_received), or
    // while waiting for the rest of them when some have already been received.
    let late = customer && !CUSTOMER_FREE_CANCEL.includes(order.status);
    if (customer && !late && order.status === 'awaiting_samples') {
      const [arrived] = await tx
        .select({ id: orderSamples.id })
        .from(orderSamples)
        .where(and(eq(orderSamples.orderId, order.id), eq(orderSamples.status, 'received')))
        .limit(1);
      late = arrived !== undefined;
    }
    const fee = late ? applyBasisPoints(order.subtotalFen, CUSTOMER_LATE_CANCEL_FEE_PCT * 100) : 0;
    const updated = await transitionOrder(
      tx,
      order,
      fromStates('cancel', role),
      'cancelled',
      { actor: a, side: customer ? 'customer' : 'lab', action: 'order.cancelled', data: { reason, feeFen: fee } },
      { cancelledAt: now, cancelledBy: a.userId, cancelReason: reason, cancellationFeeFen: fee },
      now,
    );
    // Instrument time booked for the order is released.
    const released = await tx
      .update(bookings)
      .set({ status: 'cancelled', cancelledAt: now, cancelledBy: a.userId, updatedAt: now })
      .where(and(eq(bookings.orderId, order.id), inArray(bookings.status, ['held', 'pending_approval', 'confirmed'])))
      .returning({ id: bookings.id });
    // Samples in the lab's hands go back or are disposed of, as the commission form says.
    const disposition = order.commission?.leftoverSamples === 'dispose' ? 'disposed' : 'returned';
    const samples = await tx
      .update(orderSamples)
      .set({ status: disposition, dispositionAt: now })
      .where(and(eq(orderSamples.orderId, order.id), eq(orderSamples.status, 'received')))
      .returning({ id: orderSamples.id });
    if (released.length > 0 || samples.length > 0) {
      await recordOrderEvent(tx, updated, {
        actor: a,
        side: customer ? 'customer' : 'lab',
        action: 'order.cancel_cleanup',
        data: { bookingsCancelled: released.map((b) => b.id), samples: samples.length, disposition },
      });
    }
    const other = customer ? 'lab' : 'customer';
    await notifySide(tx, updated, other, {
      kind: 'order_cancelled',
      titleZh: `订单 ${order.number} 已取消`,
      titleEn: `Order ${order.number} was cancelled`,
      bodyZh: `${customer ? '客户' : '实验室'}取消了订单：${reason}${fee > 0 ? `（取消费 ${(fee / 100).toFixed(2)} 元）` : ''}`,
      bodyEn: `Cancelled by the ${customer ? 'customer' : 'lab'}: ${reason}${fee > 0 ? ` (fee CNY ${(fee / 100).toFixed(2)})` : ''}`,
    });
  });
}

/* ───────────────────────────── objections / close ───────────────────────────── */

export function raiseObjection(deps: OrderDeps, actor: Actor | null, orderId: string, reason: string) {
  return runStep(deps, actor, orderId, 'object', async (tx, { order }, role, now) => {
    if (order.status === 'closed' || (order.status === 'report_issued' && !windowOpen(order, now))) {
      throw conflict('objection_window_closed', 'The objection period for this report has ended.');
    }
    assertFrom(order, 'object', role);
    const [open] = await tx
      .select({ id: orderObjections.id })
      .from(orderObjections)
      .where(and(eq(orderObjections.orderId, order.id), eq(orderObjections.status, 'open')))
      .limit(1);
    if (open) throw conflict('objection_open', 'An objection is already open on this order.');
    const [report] = await tx
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.orderId, order.id), eq(reports.status, 'issued')))
      .orderBy(desc(reports.issuedAt))
      .limit(1);
    const a = requireActor(actor);
    const [objection] = await tx
      .insert(orderObjections)
      .values({ orderId: order.id, reportId: report?.id ?? null, raisedBy: a.userId!, reason, createdAt: now })
      .returning();
    await recordOrderEvent(tx, order, {
      actor: a,
      side: 'customer',
      action: 'objection.raised',
      data: { objectionId: objection!.id, reason },
    });
    await notifySide(tx, order, 'lab', {
      kind: 'order_objection',
      occurrence: objection!.id,
      titleZh: `订单 ${order.number} 收到异议`,
      titleEn: `Objection on order ${order.number}`,
      bodyZh: reason,
      bodyEn: reason,
    });
  });
}

function windowOpen(order: Order, now: Date) {
  return order.objectionUntil !== null && now.getTime() < order.objectionUntil.getTime();
}

export function resolveObjection(
  deps: OrderDeps,
  actor: Actor | null,
  orderId: string,
  objectionId: string,
  input: { outcome: 'upheld' | 'dismissed'; resolution: string },
) {
  const action = input.outcome === 'upheld' ? 'resolve_upheld' : 'resolve_dismissed';
  return runStep(deps, actor, orderId, action, async (tx, { order }, role, now) => {
    const [objection] = await tx
      .select()
      .from(orderObjections)
      .where(and(eq(orderObjections.id, objectionId), eq(orderObjections.orderId, order.id)))
      .limit(1)
      .for('update');
    if (!objection) throw notFound('objection');
    if (objection.status !== 'open') throw conflict('objection_resolved', 'This objection was already resolved.');
    assertFrom(order, action, role);
    const a = requireActor(actor);
    await tx
      .update(orderObjections)
      .set({ status: input.outcome, resolution: input.resolution, resolvedBy: a.userId, resolvedAt: now })
      .where(eq(orderObjections.id, objection.id));
    if (input.outcome === 'upheld') {
      await transitionOrder(
        tx,
        order,
        ['report_issued'],
        'in_progress',
        { actor: a, side: 'lab', action: 'order.retest', data: { objectionId, resolution: input.resolution } },
        { retestCount: order.retestCount + 1, workStartedAt: now },
        now,
      );
    } else {
      await recordOrderEvent(tx, order, {
        actor: a,
        side: 'lab',
        action: 'objection.dismissed',
        data: { objectionId, resolution: input.resolution },
      });
    }
    await notifySide(tx, order, 'customer', {
      kind: `objection_${input.outcome}`,
      occurrence: objectionId,
      titleZh:
        input.outcome === 'upheld'
          ? `订单 ${order.number} 的异议成立，将重新检测`
          : `订单 ${order.number} 的异议未被采纳`,
      titleEn:
        input.outcome === 'upheld'
          ? `Objection upheld on order ${order.number}: it will be re-tested`
          : `Objection dismissed on order ${order.number}`,
      bodyZh: input.resolution,
      bodyEn: input.resolution,
    });
  });
}

export function closeOrder(deps: OrderDeps, actor: Actor | null, orderId: string) {
  return runStep(deps, actor, orderId, 'close', async (tx, { order }, role, now) => {
    assertFrom(order, 'close', role);
    const [open] = await tx
      .select({ id: orderObjections.id })
      .from(orderObjections)
      .where(and(eq(orderObjections.orderId, order.id), eq(orderObjections.status, 'open')))
      .limit(1);
    if (open) throw conflict('objection_open', 'An objection is still open on this order.');
    const updated = await transitionOrder(
      tx,
      order,
      ['report_issued'],
      'closed',
      { actor: requireActor(actor), side: 'customer', action: 'order.closed', data: { early: true } },
      { closedAt: now },
      now,
    );
    await notifySide(tx, updated, 'lab', {
      kind: 'order_closed',
      titleZh: `订单 ${order.number} 已结案`,
      titleEn: `Order ${order.number} closed`,
      bodyZh: '客户已确认报告。',
      bodyEn: 'The customer accepted the report.',
    });
  });
}

/* ───────────────────────────── read ───────────────────────────── */

export async function getOrder(deps: OrderDeps, actor: Actor | null, orderId: string) {
  const access = await loadOrderFor(deps.db, actor, orderId);
  return orderDetail(deps.db, access);
}

export interface ListOrdersQuery {
  as?: 'customer' | 'lab' | 'officer';
  labId?: string;
  status?: Order['status'];
  limit?: number;
  cursor?: string;
}

export async function listOrders(deps: OrderDeps, actor: Actor | null, query: ListOrdersQuery) {
  const a = requireActor(actor);
  const enterprises = a.memberships.filter((m) => m.orgKind === 'enterprise').map((m) => m.orgId);
  const labs = a.memberships.filter((m) => m.orgKind === 'lab' && m.orgStatus !== 'suspended').map((m) => m.orgId);
  const as = query.as ?? (enterprises.length > 0 ? 'customer' : labs.length > 0 ? 'lab' : 'officer');
  let scope;
  if (as === 'customer') {
    if (enterprises.length === 0) return { items: [], nextCursor: null };
    scope = inArray(orders.customerOrgId, enterprises);
  } else if (as === 'lab') {
    const wanted = query.labId ? labs.filter((id) => id === query.labId) : labs;
    if (wanted.length === 0) return { items: [], nextCursor: null };
    scope = inArray(orders.labId, wanted);
  } else {
    // Only a service officer of an active platform, for the enterprises they are the current officer of.
    if (!a.userId || platformScopes(a, ['service_officer']).length === 0) return { items: [], nextCursor: null };
    scope = inArray(
      orders.customerOrgId,
      deps.db
        .select({ id: enterpriseOfficers.enterpriseId })
        .from(enterpriseOfficers)
        .where(eq(enterpriseOfficers.officerUserId, a.userId)),
    );
  }
  const limit = query.limit ?? 20;
  const after = query.cursor ? decodeCursor(query.cursor, 'orders', 'timestamptz') : undefined;
  const page = after
    ? or(
        lt(orders.createdAt, new Date(String(after.key))),
        and(eq(orders.createdAt, new Date(String(after.key))), lt(orders.id, after.id)),
      )
    : undefined;
  const rows = await deps.db
    .select()
    .from(orders)
    .where(
      and(
        scope,
        query.labId && as !== 'lab' ? eq(orders.labId, query.labId) : undefined,
        query.status ? eq(orders.status, query.status) : undefined,
        page,
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: await orderViews(deps.db, items),
    nextCursor: rows.length > limit && last ? encodeCursor('orders', last.createdAt.toISOString(), last.id) : null,
  };
}

/* ───────────────────────────── lab settings ───────────────────────────── */

async function labFor(db: Db, actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  const [lab] = await db
    .select({ id: organisations.id, kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.id, labId))
    .limit(1);
  if (!lab || lab.kind !== 'lab') throw notFound('lab');
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw forbidden('Only members of this lab may see its order settings.');
  return { actor: a, role: m.role };
}

export async function getOrderSettings(deps: OrderDeps, actor: Actor | null, labId: string) {
  await labFor(deps.db, actor, labId);
  const [row] = await deps.db
    .select({ labId: labOrderSettings.labId })
    .from(labOrderSettings)
    .where(eq(labOrderSettings.labId, labId));
  return { labId, ...(await orderSettingsFor(deps.db, labId)), saved: !!row };
}

export async function putOrderSettings(
  deps: OrderDeps,
  actor: Actor | null,
  labId: string,
  input: Partial<OrderSettings>,
) {
  const { actor: a, role } = await labFor(deps.db, actor, labId);
  if (role !== 'manager') throw forbidden('Only a manager of this lab may change its order settings.');
  return deps.db.transaction(async (tx) => {
    const before = await orderSettingsFor(tx, labId);
    // A prefix names one lab: a chosen one must be free; a lab without one is given its default now.
    if (input.reportPrefix) await assertReportPrefixFree(tx, labId, input.reportPrefix);
    const reportPrefix = input.reportPrefix ?? (await claimReportPrefix(tx, labId, DEFAULT_ORDER_SETTINGS));
    const next = { ...before, ...input, reportPrefix };
    const now = deps.clock();
    await tx
      .insert(labOrderSettings)
      .values({ labId, ...next, updatedAt: now })
      .onConflictDoUpdate({ target: labOrderSettings.labId, set: { ...next, updatedAt: now } })
      .catch((error: unknown) => {
        throw reportPrefixRace(error, reportPrefix);
      });
    await recordAudit(tx, a, {
      action: 'lab.order_settings_changed',
      entityType: 'organisation',
      entityId: labId,
      orgId: labId,
      before,
      after: next,
    });
    return { labId, ...next, saved: true };
  });
}
