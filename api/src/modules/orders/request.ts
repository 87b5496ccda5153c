import { DateTime } from 'luxon';
import type { Tx } from '@qihub/db';
import { isAdmitted, requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { findReplay, hashRequest, saveAnswer, type IdempotentRequest } from '../../lib/idempotency.ts';
import { localDate, PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { loadOrderFor } from './access.ts';
import { needsSamplesFor } from './flow.ts';
import { notifySide } from './notify.ts';
import { requestedQuantity, unitOfPriceModel } from './pricing.ts';
import { priceAndQuote } from './quote.ts';
import { insertOrderLines } from './repository/lines.ts';
import { insertOrder, nextSequence } from './repository/orders.ts';
import { findOrganisationSummary } from '../../lib/repository/organisation-summary.ts';
import { servicesOfRequest } from './request-lines.ts';
import { orderSettingsFor } from './settings.ts';
import type { OrderDeps } from './deps.ts';
import { recordOrderEvent } from './transition.ts';
import { orderDetail } from './view.ts';

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

type OrderDetail = Awaited<ReturnType<typeof orderDetail>>;

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
): Promise<{ replayed: boolean; body: OrderDetail }> {
  const a = requireActor(actor);
  if (a.kind !== 'user' || !a.userId) throw forbidden('Orders are placed by people, not API tokens.');
  const customerOrgId = customerOrgOf(a, input.customerOrgId);
  // Order keys live beside booking keys, apart by their prefix.
  const idem: IdempotentRequest | undefined = idempotencyKey
    ? { userId: a.userId, key: `order:${idempotencyKey}`, requestHash: hashRequest(input) }
    : undefined;
  if (idem) {
    const replay = await findReplay<OrderDetail>(deps.db, idem);
    if (replay) return replay;
  }
  try {
    return await deps.db.transaction(async (tx) => {
      const body = await requestOrder(tx, deps, a, customerOrgId, input);
      if (idem) await saveAnswer(tx, idem, body);
      return { replayed: false, body };
    });
  } catch (error) {
    if (idem) {
      const replay = await findReplay<OrderDetail>(deps.db, idem);
      if (replay) return replay;
    }
    throw error;
  }
}

async function requestOrder(tx: Tx, deps: OrderDeps, actor: Actor, customerOrgId: string, input: CreateOrderInput) {
  const lab = await findOrganisationSummary(tx, input.labId);
  if (!lab || lab.kind !== 'lab') throw notFound('lab');
  if (!isAdmitted(lab.status)) throw unprocessable('lab_not_active', 'This lab is not admitted to the platform (yet).');
  if (customerOrgId === lab.id) throw unprocessable('own_lab', 'A lab cannot order from itself.');
  const byId = await servicesOfRequest(tx, lab.id, input.lines);
  const now = deps.clock();
  const year = Number(localDate(now).slice(0, 4));
  const seq = await nextSequence(tx, 'order_sequences', { year });
  const number = `QI${year}${String(seq).padStart(6, '0')}`;
  const first = byId.get(input.lines[0]!.serviceId)!;
  const kinds = input.lines.map((l) => byId.get(l.serviceId)!.kind);
  const order = await insertOrder(tx, {
    number,
    customerOrgId,
    labId: lab.id,
    requestedBy: actor.userId!,
    titleZh: input.titleZh ?? (input.lines.length > 1 ? `${first.nameZh} 等 ${input.lines.length} 项` : first.nameZh),
    requestNotes: input.requestNotes,
    needsSamples: needsSamplesFor(kinds),
    createdAt: now,
    updatedAt: now,
  });
  const quantities = input.lines.map((l) => requestedQuantity(l, unitOfPriceModel(byId.get(l.serviceId)!.priceModel)));
  const lines = await insertOrderLines(
    tx,
    input.lines.map((l, i) => {
      const s = byId.get(l.serviceId)!;
      return {
        orderId: order.id,
        position: i + 1,
        serviceId: s.id,
        kind: s.kind,
        descriptionZh: s.nameZh,
        descriptionEn: s.nameEn,
        parameterZh: l.parameterZh ?? '',
        standardCode: l.standardCode ?? s.standardMethods[0] ?? '',
        quantity: quantities[i]!.quantity,
        unit: unitOfPriceModel(s.priceModel),
        sampleCount: l.sampleCount ?? null,
        details: l.details ?? {},
        addedBy: 'customer' as const,
        createdAt: now,
      };
    }),
  );
  await recordOrderEvent(
    tx,
    order,
    {
      actor,
      side: 'customer',
      action: 'order.requested',
      to: 'requested',
      data: { number, lines: input.lines.length },
    },
    now,
  );
  await notifySide(tx, order, 'lab', {
    at: now,
    kind: 'order_requested',
    titleZh: `新的委托申请 ${number}`,
    titleEn: `New order request ${number}`,
    bodyZh: `${order.titleZh}：请报价。`,
    bodyEn: `${order.titleZh}: please send a quote.`,
  });
  const settings = await orderSettingsFor(tx, lab.id);
  // Quoted at once only when every line has its price and its priced quantity (hours of a test
  // the customer did not state are the lab's to set).
  const fixed = input.lines.every((l, i) => byId.get(l.serviceId)!.priceAmount !== null && quantities[i]!.known);
  if (fixed && settings.autoQuoteFixedPrice) {
    await priceAndQuote(tx, order, lines, {
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
  const access = await loadOrderFor(tx, actor, order.id);
  return orderDetail(tx, access);
}
