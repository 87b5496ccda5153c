import type { Api } from '$lib/server/api';
import type { Region, RegionGroup } from '$lib/types';

/** Cities grouped under their province, for a <select> with <optgroup>s. */
export async function loadCityGroups(api: Api): Promise<RegionGroup[]> {
  const [cities, provinces] = await Promise.all([
    api.GET('/v1/regions', { params: { query: { level: 'city' } } }),
    api.GET('/v1/regions', { params: { query: { level: 'province' } } }),
  ]);
  return groupCities(cities.data?.items ?? [], provinces.data?.items ?? []);
}

export function groupCities(cities: Region[], provinces: Region[]): RegionGroup[] {
  const groups = new Map<string, RegionGroup>();
  for (const p of provinces) groups.set(p.code, { province: p, cities: [] });
  const orphans: Region[] = [];
  for (const c of cities) {
    const g = c.parentCode ? groups.get(c.parentCode) : undefined;
    if (g) g.cities.push(c);
    else orphans.push(c);
  }
  const out = [...groups.values()].filter((g) => g.cities.length > 0);
  if (orphans.length) out.push({ province: null, cities: orphans });
  return out;
}
