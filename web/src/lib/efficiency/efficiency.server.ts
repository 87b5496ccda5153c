import { problemCode } from '$lib/finance/finance.server';
import type { Api } from '$lib/server/api';
import type { Efficiency, EfficiencyOrders, EfficiencyParams, OrdersParams, Utilisation } from './figures';

type Answer<T> = { ok: true; data: T } | { ok: false; code: string };

/** The region's efficiency evaluation (the admin's session), or the problem it was refused with. */
export async function loadEfficiency(api: Api, p: EfficiencyParams): Promise<Answer<Efficiency>> {
  const query = { from: p.from, to: p.to, groupBy: p.groupBy, ...(p.region ? { region: p.region } : {}) };
  const { data, error: problem, response } = await api.GET('/v1/admin/efficiency', { params: { query } });
  return data ? { ok: true, data } : { ok: false, code: problemCode(problem, response.status) };
}

export async function loadFigureOrders(api: Api, p: OrdersParams): Promise<Answer<EfficiencyOrders>> {
  const {
    data,
    error: problem,
    response,
  } = await api.GET('/v1/admin/efficiency/orders', {
    params: { query: p },
  });
  return data ? { ok: true, data } : { ok: false, code: problemCode(problem, response.status) };
}

export async function loadUtilisation(api: Api, p: { year: number; region?: string }): Promise<Answer<Utilisation>> {
  const { data, error: problem, response } = await api.GET('/v1/admin/utilisation', { params: { query: p } });
  return data ? { ok: true, data } : { ok: false, code: problemCode(problem, response.status) };
}
