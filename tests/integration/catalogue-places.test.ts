import { describe, expect, it } from 'vitest';
import { useSeededApp } from '../support/app.ts';

interface Summary {
  id: string;
  nameZh: string;
  category: { code: string };
  lab: { id: string };
  site: { regionCode: string };
}
interface ServiceSummary {
  id: string;
  nameZh: string;
  standardMethods: string[];
  lab: { regionCode: string };
}
interface Suggestion {
  kind: 'drop_word' | 'drop_filter' | 'widen_region' | 'region';
  word: string | null;
  filter: string | null;
  region: { code: string; nameZh: string } | null;
  q: string | null;
  total: number;
}
interface SearchPage<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
  places: { word: string; code: string; nameZh: string }[];
  suggestions: Suggestion[];
}

const t = useSeededApp();

async function search<T>(path: string, q: string, extra = ''): Promise<SearchPage<T>> {
  const res = await t.app.inject({ method: 'GET', url: `${path}?q=${encodeURIComponent(q)}&limit=100${extra}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<SearchPage<T>>();
}
const instruments = (q: string, extra = '') => search<Summary>('/v1/instruments', q, extra);

describe('place words in the instrument search', () => {
  it('finds "SEM 苏州", "盐雾 苏州" and "电子显微镜 苏州" in Suzhou, in any order and with or without 市', async () => {
    for (const [q, category] of [
      ['SEM 苏州', 'sem'],
      ['盐雾 苏州', 'salt_spray'],
      ['苏州市 盐雾', 'salt_spray'],
      ['电子显微镜 苏州', null],
    ] as const) {
      const page = await instruments(q);
      expect(page.items.length, q).toBeGreaterThan(0);
      expect(page.total).toBe(page.items.length);
      expect(page.items.every((i) => i.site.regionCode.startsWith('3205'))).toBe(true);
      if (category) expect(page.items.every((i) => i.category.code === category)).toBe(true);
      expect(page.places.map((p) => p.code)).toEqual(['320500']);
      expect(page.suggestions).toEqual([]);
    }
    // The same as the region filter with the thing alone.
    const byFilter = await instruments('盐雾', '&region=320500');
    expect((await instruments('盐雾 苏州')).items.map((i) => i.id).sort()).toEqual(
      byFilter.items.map((i) => i.id).sort(),
    );
  });

  it('reads provinces, districts and English names too, and nested places narrow', async () => {
    const jiangsu = await instruments('盐雾 江苏');
    expect(jiangsu.items.every((i) => i.site.regionCode.startsWith('32'))).toBe(true);
    const wuzhong = await instruments('吴中区 SEM');
    expect(wuzhong.items.length).toBeGreaterThan(0);
    expect(wuzhong.items.every((i) => i.site.regionCode === '320506')).toBe(true);
    expect((await instruments('江苏 吴中 SEM')).items.map((i) => i.id)).toEqual(wuzhong.items.map((i) => i.id));
    const english = await instruments('SEM Suzhou');
    expect(english.items.map((i) => i.id).sort()).toEqual(
      (await instruments('SEM 苏州')).items.map((i) => i.id).sort(),
    );
    // A place alone lists everything there.
    const suzhou = await instruments('苏州');
    expect(suzhou.total).toBe((await instruments('', '&region=320500')).total);
  });

  it('counts every page and keeps the count across pages', async () => {
    const all = await t.app.inject({ method: 'GET', url: '/v1/instruments?limit=5' });
    const first = all.json<SearchPage<Summary>>();
    expect(first.total).toBeGreaterThan(5);
    const next = await t.app.inject({
      method: 'GET',
      url: `/v1/instruments?limit=5&cursor=${encodeURIComponent(first.nextCursor!)}`,
    });
    expect(next.json<SearchPage<Summary>>().total).toBe(first.total);
  });

  it('suggests what to change when nothing is found', async () => {
    // Salt spray exists in Suzhou, Wuxi and Shanghai, not in Hangzhou.
    const none = await instruments('盐雾 杭州');
    expect(none.items).toEqual([]);
    expect(none.total).toBe(0);
    expect(none.places.map((p) => p.code)).toEqual(['330100']);
    const drop = none.suggestions.find((s) => s.kind === 'drop_word' && s.word === '杭州');
    expect(drop?.q).toBe('盐雾');
    expect(drop?.total).toBeGreaterThan(0);
    const regions = none.suggestions.filter((s) => s.kind === 'region');
    expect(regions.map((s) => s.region!.code)).toContain('320500');
    expect(regions.every((s) => s.q === '盐雾' && s.total > 0)).toBe(true);

    // An unknown word: drop it.
    const typo = await instruments('SEM 不存在的词');
    expect(typo.suggestions.find((s) => s.kind === 'drop_word')?.word).toBe('不存在的词');

    // A district filter with nothing: widen it to the city, or clear it.
    const district = await instruments('盐雾', '&region=320506');
    expect(district.total).toBe(0);
    const widen = district.suggestions.find((s) => s.kind === 'widen_region');
    expect(widen?.region?.code).toBe('320500');
    expect(district.suggestions.some((s) => s.kind === 'drop_filter' && s.filter === 'region')).toBe(true);

    // Nothing to suggest for nonsense.
    expect((await instruments('不存在的仪器xyz')).suggestions).toEqual([]);
  });
});

describe('standard numbers in the instrument search', () => {
  it('finds the salt-spray chambers of labs accredited for GB/T 10125, not their other instruments', async () => {
    for (const q of ['GB/T 10125', '10125', 'gb/t10125']) {
      const page = await instruments(q);
      expect(page.items.length, q).toBeGreaterThan(0);
      expect(
        page.items.every((i) => i.category.code === 'salt_spray'),
        q,
      ).toBe(true);
    }
    const suzhou = await instruments('GB/T 10125 苏州');
    expect(suzhou.items.length).toBeGreaterThan(0);
    expect(suzhou.items.every((i) => i.site.regionCode.startsWith('3205'))).toBe(true);
    expect(await instruments('101250')).toMatchObject({ total: 0 });
  });

  it('finds an instrument whose own record names the standard', async () => {
    const page = await instruments('GB/T 17626.2');
    expect(page.items.map((i) => i.nameZh).join()).toMatch(/静电/);
  });
});

describe('place words in the service search', () => {
  it('finds "盐雾 苏州" services in Suzhou and still finds standards', async () => {
    const page = await search<ServiceSummary>('/v1/services', '盐雾 苏州');
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.total).toBe(page.items.length);
    expect(page.items.every((s) => s.lab.regionCode.startsWith('3205'))).toBe(true);
    const std = await search<ServiceSummary>('/v1/services', 'GB/T 10125');
    expect(std.items.every((s) => s.standardMethods.some((m) => m.includes('10125')))).toBe(true);
    expect((await search<ServiceSummary>('/v1/services', '10125')).total).toBe(std.total);
  });
});

describe('availability search with place words and ids', () => {
  it('reads "盐雾 苏州" the same and narrows to given instruments', async () => {
    const from = '2026-11-30T00:00:00Z';
    const to = '2026-12-14T00:00:00Z';
    const base = `/v1/availability/search?from=${from}&to=${to}&durationMinutes=60`;
    const res = await t.app.inject({ method: 'GET', url: `${base}&q=${encodeURIComponent('盐雾 苏州')}` });
    expect(res.statusCode, res.body).toBe(200);
    const found = res.json<{ items: { id: string; site: { cityZh: string } }[] }>();
    expect(found.items.length).toBeGreaterThan(0);
    expect(found.items.every((i) => i.site.cityZh === '苏州市')).toBe(true);
    const one = found.items[0]!.id;
    const only = await t.app.inject({ method: 'GET', url: `${base}&ids=${one}` });
    expect(only.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([one]);
    const bad = await t.app.inject({ method: 'GET', url: `${base}&ids=not-a-uuid` });
    expect(bad.statusCode).toBe(400);
  });
});
