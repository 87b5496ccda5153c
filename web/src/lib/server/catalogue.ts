import type { Api } from '$lib/server/api';
import type { LabDetail, Problem } from '$lib/types';

/** The lab a catalogue is filtered to, for its name on the filter chip; null when it cannot be found. */
export async function labForFilter(api: Api, labId: string | undefined): Promise<LabDetail | null> {
  if (!labId) return null;
  const { data } = await api.GET('/v1/labs/{id}', { params: { path: { id: labId } } });
  return data ?? null;
}

/** A search the API refused (say, a stale cursor) shows as a message above no results, not as a crash. */
export function searchProblemCode(error: unknown, status: number): string {
  if (status >= 500) return 'api_error';
  return (error as Partial<Problem> | undefined)?.code ?? 'bad_request';
}
