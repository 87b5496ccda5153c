import { problemCode, send, type Outcome } from '$lib/finance/finance.server';
import type { Api } from '$lib/server/api';
import type { Discrepancy, Reconciliation } from './figures';

/** The region's reconciliation for a period (the admin's session), or the problem code it was refused with. */
export async function loadReconciliation(
  api: Api,
  period: { from: string; to: string },
): Promise<{ ok: true; data: Reconciliation } | { ok: false; code: string }> {
  const { data, error: problem, response } = await api.GET('/v1/admin/reconciliation', { params: { query: period } });
  if (data) return { ok: true, data };
  return { ok: false, code: problemCode(problem, response.status) };
}

export function resolveDiscrepancy(api: Api, id: string, note: string): Promise<Outcome<Discrepancy>> {
  return send<Discrepancy>(api, 'POST', '/v1/admin/reconciliation/discrepancies/{id}/resolve', { id }, { note });
}
