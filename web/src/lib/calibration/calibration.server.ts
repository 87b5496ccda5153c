import type { Api } from '$lib/server/api';

/** The lab's calibration service page, when the lab offers one in the catalogue. */
export async function calibrationServiceOf(api: Api, labId: string): Promise<string | null> {
  const { data } = await api.GET('/v1/services', { params: { query: { lab: labId, kind: 'calibration', limit: 1 } } });
  return data?.items[0]?.id ?? null;
}
