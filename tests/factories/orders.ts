import type { LightMyRequestResponse } from 'fastify';
import type { TestDatabase } from '../support/db.ts';
import { api, ok, type World } from './world.ts';

/**
 * Orders that read like the domain, made through the order API as the customer and the lab would:
 *
 *   const order = anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(saltSpray, 24);
 *   const d = await order.accepted({ expedite: 'h24' });
 *
 * Each step (`requested`, `quoted`, `accepted`, `samplesReceived`, `started`) takes the order through
 * the steps before it; the step functions below also move an order a test already has.
 */

/** The commission form (委托单) a customer fills in when accepting a quote. */
export const COMMISSION = {
  sampleName: '镀锌钢板试样',
  specification: '150 × 100 × 1 mm',
  manufacturer: '苏州示例五金有限公司',
  batch: 'B2026-11',
  quantity: 3,
  trademark: '',
  productionDate: '2026-11-01',
  packagingCondition: '纸箱包装，完好',
  testScope: 'single',
  purpose: '质量控制',
  testBasis: 'GB/T 10125-2021',
  evaluationBasis: '',
  subcontractingAllowed: false,
  leftoverSamples: 'return',
  storageConditions: '常温干燥',
  reportCopies: 1,
  reportLanguage: 'zh',
  reportDelivery: 'electronic',
  deliveryAddress: '',
} as const;

export interface Detail {
  order: {
    id: string;
    number: string;
    status: string;
    needsSamples: boolean;
    subtotal: { amount: number };
    surcharge: { amount: number };
    total: { amount: number };
    surchargeWaived: boolean;
    quotedAt: string | null;
    quoteValidUntil: string | null;
    dueAt: string | null;
    clockStartedAt: string | null;
    cancellationFee: { amount: number } | null;
    retestCount: number;
    expeditePct: number;
    onTime: boolean | null;
    objectionUntil: string | null;
  };
  viewerSide: string;
  lines: {
    id: string;
    position: number;
    serviceId: string | null;
    sampleCount: number | null;
    quantity: number;
    unitPrice: { amount: number } | null;
    amount: { amount: number } | null;
    inCmaScope: boolean;
    removed: boolean;
    addedBy: string;
    standardCode: string;
  }[];
  samples: { id: string; code: string; status: string; hasPhoto: boolean; quantity: number }[];
  timeline: {
    action: string;
    actorSide: string;
    fromStatus: string | null;
    toStatus: string | null;
    data: Record<string, unknown>;
  }[];
  bookings: { id: string; status: string }[];
  reports: unknown[];
  objections: { id: string; status: string }[];
}

export async function serviceId(db: TestDatabase, labId: string, nameZh: string): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT id FROM services WHERE lab_id = $1 AND name_zh = $2 AND status = 'active' LIMIT 1`,
    [labId, nameZh],
  );
  if (!rows[0]) throw new Error(`no service ${nameZh}`);
  return rows[0].id;
}

/** The kinds of service that need no samples (advice and certification work). */
export const NO_SAMPLE_KINDS = ['standards', 'certification', 'quality_management', 'brand', 'ip'];

/** A service of the lab by kind and price model ('on_quote' or a priced one). */
export async function serviceOfKind(
  db: TestDatabase,
  labId: string,
  kinds: string[],
  priced: boolean,
): Promise<{ id: string; price: number | null; kind: string }> {
  const { rows } = await db.pool.query<{ id: string; price_amount: number | null; kind: string }>(
    `SELECT id, price_amount, kind FROM services WHERE lab_id = $1 AND kind = ANY($2) AND status = 'active'
       AND (price_amount IS NOT NULL) = $3 ORDER BY name_zh LIMIT 1`,
    [labId, kinds, priced],
  );
  if (!rows[0]) throw new Error(`lab ${labId} has no ${kinds.join('/')} service (priced ${priced})`);
  return { id: rows[0].id, price: rows[0].price_amount, kind: rows[0].kind };
}

/** A fixed-price service of the lab that needs no samples. */
export async function aNoSampleService(db: TestDatabase, labId: string): Promise<string> {
  return (await serviceOfKind(db, labId, NO_SAMPLE_KINDS, true)).id;
}

export interface OrderParties {
  /** A session of the customer (an enterprise member). */
  customer: string;
  /** A session of the lab's manager or staff. */
  lab: string;
  labId: string;
}

/** Sends the customer's acceptance of exactly the quote in `seen` (its `quotedAt`); the answer as it comes. */
export function sendAcceptance(
  world: World,
  customer: string,
  seen: Detail,
  terms: Record<string, unknown> = { deadlineTierDays: 15 },
  commission: Record<string, unknown> = COMMISSION,
): Promise<LightMyRequestResponse> {
  return api(world.app)(customer, 'POST', `/v1/orders/${seen.order.id}/accept`, {
    quotedAt: seen.order.quotedAt,
    commission,
    ...terms,
  });
}

/** Accepts the quote the customer sees now (`quotedAt` read from the order, or from `seen`). */
export async function acceptQuote<T = Detail>(
  world: World,
  customer: string,
  order: string | Detail,
  terms: Record<string, unknown> = { deadlineTierDays: 15 },
  commission: Record<string, unknown> = COMMISSION,
): Promise<T> {
  const seen = typeof order === 'string' ? ok(await api(world.app)(customer, 'GET', `/v1/orders/${order}`)) : order;
  return ok<T>(await sendAcceptance(world, customer, seen, terms, commission));
}

/** The lab receives every sample of the order, in good condition. */
export async function receiveSamples(
  world: World,
  lab: string,
  d: Detail,
  receipt: { conditionOnArrival?: string; quantity?: number; storageLocation?: string } = {},
): Promise<Detail> {
  const call = api(world.app);
  let last = d;
  for (const s of d.samples) {
    last = ok(
      await call(lab, 'POST', `/v1/orders/${d.order.id}/samples/${s.id}/receive`, {
        conditionOnArrival: '完好',
        quantity: s.quantity,
        ...receipt,
      }),
    );
  }
  return last;
}

export class OrderBuilder {
  #world: World;
  #parties: OrderParties;
  #lines: Record<string, unknown>[] = [];
  #notes = '';
  #headers: Record<string, string> = {};

  constructor(world: World, parties: OrderParties) {
    this.#world = world;
    this.#parties = parties;
  }

  /** A line of `quantity` of a catalogue service (hours, samples … as the service counts). */
  ofService(serviceId: string, quantity = 1, extra: Record<string, unknown> = {}): this {
    this.#lines.push({ serviceId, quantity, ...extra });
    return this;
  }

  /** A line as the request body writes it. */
  withLine(line: Record<string, unknown>): this {
    this.#lines.push(line);
    return this;
  }

  notes(text: string): this {
    this.#notes = text;
    return this;
  }

  /** Sent with an Idempotency-Key (a repeated request answers the first order). */
  idempotencyKey(key: string): this {
    this.#headers = { 'idempotency-key': key };
    return this;
  }

  /** The customer asks for it. A fixed-price service is quoted at once (auto-quote). */
  async requested<T = Detail>(): Promise<T> {
    const call = api(this.#world.app);
    const body = { labId: this.#parties.labId, requestNotes: this.#notes, lines: this.#lines };
    return ok<T>(await call(this.#parties.customer, 'POST', '/v1/orders', body, this.#headers), 201);
  }

  /** Requested and quoted: when nothing quoted it at once, the lab prices every line at `unitPriceFen`. */
  async quoted(unitPriceFen = 10_000, validUntil = '2026-12-31'): Promise<Detail> {
    const d = await this.requested();
    if (d.order.status !== 'requested') return d;
    const call = api(this.#world.app);
    return ok(
      await call(this.#parties.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: d.lines.map((l) => ({ lineId: l.id, unitPriceFen })),
        validUntil,
      }),
    );
  }

  /** Quoted and accepted by the customer with the commission form and these terms. */
  async accepted(terms: Record<string, unknown> = { deadlineTierDays: 15 }): Promise<Detail> {
    return acceptQuote(this.#world, this.#parties.customer, await this.quoted(), terms);
  }

  /** Accepted, and every sample received by the lab. */
  async samplesReceived(terms?: Record<string, unknown>): Promise<Detail> {
    return receiveSamples(this.#world, this.#parties.lab, await this.accepted(terms));
  }

  /** Samples received and work started. */
  async started(terms?: Record<string, unknown>): Promise<Detail> {
    const d = await this.samplesReceived(terms);
    return ok(await api(this.#world.app)(this.#parties.lab, 'POST', `/v1/orders/${d.order.id}/start`));
  }
}

export function anOrder(world: World, parties: OrderParties): OrderBuilder {
  return new OrderBuilder(world, parties);
}
