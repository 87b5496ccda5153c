import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { bearer } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';

/** Helpers shared by the order test files (not a test file itself). */

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

export function api(app: FastifyInstance) {
  return async function call(
    token: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return app.inject({ method, url, headers: { ...bearer(token), ...headers }, payload: payload as never });
  };
}

export function ok<T = Detail>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
}
