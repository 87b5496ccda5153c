import { describe, expect, it } from 'vitest';
import { encodeCursor } from '@qihub/api/lib/cursor';
import { expectProblem, useSeededApp } from '../support/app.ts';

interface Summary {
  id: string;
  nameZh: string;
  nameEn: string;
  status: string;
  category: { code: string };
  lab: { id: string };
  site: { regionCode: string };
  rates: { externalHour: { amount: number } | null };
  qualifications: string[];
}
interface ServiceSummary {
  id: string;
  kind: string;
  lab: { id: string; regionCode: string };
  price: { amount: number } | null;
  qualifications: string[];
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const t = useSeededApp();

async function list<T>(url: string): Promise<Page<T>> {
  const res = await t.app.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page<T>>();
}

async function all<T extends { id: string }>(base: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  const sep = base.includes('?') ? '&' : '?';
  for (let i = 0; i < 100; i++) {
    const page: Page<T> = await list<T>(`${base}${sep}limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('pagination did not end');
}

describe('instrument search', () => {
  it('finds scanning electron microscopes by Chinese and English words', async () => {
    const zh = await list<Summary>(`/v1/instruments?q=${encodeURIComponent('扫描电镜')}&limit=100`);
    const en = await list<Summary>('/v1/instruments?q=SEM&limit=100');
    expect(zh.items.length).toBeGreaterThan(0);
    expect(zh.items.every((i) => i.category.code === 'sem')).toBe(true);
    expect(en.items.map((i) => i.id).sort()).toEqual(expect.arrayContaining(zh.items.map((i) => i.id)));
    const lower = await list<Summary>('/v1/instruments?q=sem&limit=100');
    expect(lower.items.map((i) => i.id).sort()).toEqual(en.items.map((i) => i.id).sort());
  });

  it('requires every term to match and finds nothing for nonsense', async () => {
    const none = await list<Summary>(`/v1/instruments?q=${encodeURIComponent('不存在的仪器xyz')}`);
    expect(none.items).toEqual([]);
    expect(none.nextCursor).toBeNull();
    const both = await list<Summary>(`/v1/instruments?q=${encodeURIComponent('SEM 盐雾')}`);
    expect(both.items).toEqual([]);
  });

  it('treats LIKE wildcards in the query as plain characters', async () => {
    const res = await list<Summary>('/v1/instruments?q=%25');
    expect(res.items).toEqual([]);
  });

  it('filters by category, region, lab, qualification and price', async () => {
    const everything = await all<Summary>('/v1/instruments');
    expect(everything.length).toBeGreaterThanOrEqual(40);
    expect(new Set(everything.map((i) => i.id)).size).toBe(everything.length);
    expect(everything.some((i) => i.status === 'retired')).toBe(false);

    const xrd = await all<Summary>('/v1/instruments?category=xrd');
    expect(xrd.length).toBeGreaterThan(0);
    expect(xrd.every((i) => i.category.code === 'xrd')).toBe(true);

    const suzhou = await all<Summary>('/v1/instruments?region=320500');
    expect(suzhou.length).toBeGreaterThan(0);
    expect(suzhou.every((i) => i.site.regionCode.startsWith('3205'))).toBe(true);
    const jiangsu = await all<Summary>('/v1/instruments?region=320000');
    expect(jiangsu.length).toBeGreaterThan(suzhou.length - 1);
    expect(jiangsu.every((i) => i.site.regionCode.startsWith('32'))).toBe(true);
    expect(jiangsu.length).toBeLessThan(everything.length);

    const labId = everything[0]!.lab.id;
    const ofLab = await all<Summary>(`/v1/instruments?lab=${labId}`);
    expect(ofLab.every((i) => i.lab.id === labId)).toBe(true);
    expect(ofLab.length).toBe(everything.filter((i) => i.lab.id === labId).length);

    const cnas = await all<Summary>('/v1/instruments?qualification=cnas');
    expect(cnas.length).toBeGreaterThan(0);
    expect(cnas.every((i) => i.qualifications.includes('cnas'))).toBe(true);
    const cma = await all<Summary>('/v1/instruments?qualification=cma');
    expect(cma.every((i) => i.qualifications.includes('cma'))).toBe(true);
    // The seed has a lab whose CMA has expired: its instruments must not count as CMA.
    expect(cma.length).toBeLessThan(everything.length);

    const mid = await all<Summary>('/v1/instruments?minPrice=20000&maxPrice=50000');
    expect(mid.length).toBeGreaterThan(0);
    for (const i of mid) {
      expect(i.rates.externalHour!.amount).toBeGreaterThanOrEqual(20000);
      expect(i.rates.externalHour!.amount).toBeLessThanOrEqual(50000);
    }
  });

  it('sorts by price both ways and pages without gaps or repeats', async () => {
    const asc = await all<Summary>('/v1/instruments?sort=price_asc');
    const prices = asc.map((i) => i.rates.externalHour?.amount ?? Number.MAX_SAFE_INTEGER);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const desc = await all<Summary>('/v1/instruments?sort=price_desc');
    const dprices = desc.map((i) => i.rates.externalHour?.amount ?? -1);
    expect(dprices).toEqual([...dprices].sort((a, b) => b - a));
    expect(new Set(desc.map((i) => i.id))).toEqual(new Set(asc.map((i) => i.id)));
    const newest = await all<Summary>('/v1/instruments?sort=newest');
    expect(newest.length).toBe(asc.length);
    const byName = await all<Summary>('/v1/instruments?sort=name');
    expect(new Set(byName.map((i) => i.id)).size).toBe(asc.length);
    const relevant = await all<Summary>('/v1/instruments?q=SEM');
    expect(new Set(relevant.map((i) => i.id)).size).toBe(relevant.length);
  });

  it('rejects bad filters and foreign cursors with problem+json', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/instruments?limit=1000' }), 400, 'validation_failed');
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/instruments?region=32' }), 400, 'validation_failed');
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/instruments?qualification=iso' }),
      400,
      'validation_failed',
    );
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/instruments?minPrice=-1' }), 400, 'validation_failed');
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/instruments?lab=not-a-uuid' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/instruments?minPrice=500&maxPrice=100' }),
      400,
      'validation_failed',
    );
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/instruments?cursor=garbage' }), 400, 'invalid_cursor');
    const page = await list<Summary>('/v1/instruments?sort=name&limit=2');
    expectProblem(
      await t.app.inject({ method: 'GET', url: `/v1/instruments?sort=price_asc&cursor=${page.nextCursor}` }),
      400,
      'invalid_cursor',
    );
  });

  it('shows an instrument in full and 404s an unknown one', async () => {
    const [first] = (await list<Summary>('/v1/instruments?q=SEM&limit=1')).items;
    const res = await t.app.inject({ method: 'GET', url: `/v1/instruments/${first!.id}` });
    expect(res.statusCode).toBe(200);
    const detail = res.json<{
      specs: Record<string, string>;
      labQualifications: unknown[];
      site: { timeZone: string };
    }>();
    expect(Object.keys(detail.specs).length).toBeGreaterThan(0);
    expect(detail.site.timeZone).toBe('Asia/Shanghai');
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/instruments/00000000-0000-4000-8000-000000000000' }),
      404,
      'not_found',
    );
  });
});

describe('service search', () => {
  it('covers every QI kind and filters by kind', async () => {
    const stats = await t.app.inject({ method: 'GET', url: '/v1/stats' });
    const kinds = stats.json<{ byKind: { kind: string; count: number }[] }>().byKind.map((k) => k.kind);
    expect(kinds.sort()).toEqual(
      [
        'brand',
        'calibration',
        'certification',
        'commissioned_test',
        'instrument_time',
        'ip',
        'outsourced_experiment',
        'quality_management',
        'standards',
        'technical_assistance',
        'training',
      ].sort(),
    );
    for (const kind of kinds) {
      const page = await all<ServiceSummary>(`/v1/services?kind=${kind}`);
      expect(page.length).toBeGreaterThan(0);
      expect(page.every((s) => s.kind === kind)).toBe(true);
    }
  });

  it('finds services by standard number and by Chinese and English words', async () => {
    const tensile = await list<ServiceSummary & { standardMethods: string[] }>(
      `/v1/services?q=${encodeURIComponent('GB/T 228.1')}`,
    );
    expect(tensile.items.length).toBeGreaterThan(0);
    expect(tensile.items.every((s) => s.standardMethods.some((m) => m.toLowerCase().includes('228.1')))).toBe(true);
    const saltZh = await list<ServiceSummary>(`/v1/services?q=${encodeURIComponent('盐雾')}`);
    const saltEn = await list<ServiceSummary>('/v1/services?q=salt%20spray');
    expect(saltZh.items.length).toBeGreaterThan(0);
    expect(saltEn.items.length).toBeGreaterThan(0);
  });

  it('filters services by region, qualification and price, and sorts by price', async () => {
    const everything = await all<ServiceSummary>('/v1/services');
    const hz = await all<ServiceSummary>('/v1/services?region=330100');
    expect(hz.every((s) => s.lab.regionCode.startsWith('3301'))).toBe(true);
    expect(hz.length).toBeLessThan(everything.length);
    const cnas = await all<ServiceSummary>('/v1/services?qualification=cnas');
    expect(cnas.every((s) => s.qualifications.includes('cnas'))).toBe(true);
    const cheap = await all<ServiceSummary>('/v1/services?maxPrice=50000');
    expect(cheap.every((s) => s.price !== null && s.price.amount <= 50000)).toBe(true);
    const asc = await all<ServiceSummary>('/v1/services?sort=price_asc');
    const prices = asc.map((s) => s.price?.amount ?? Number.MAX_SAFE_INTEGER);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(asc.length).toBe(everything.length);
  });
});

describe('labs and reference data', () => {
  it('shows a lab with its sites and qualifications and scope', async () => {
    const [first] = (await list<Summary>('/v1/instruments?qualification=cma&limit=1')).items;
    const res = await t.app.inject({ method: 'GET', url: `/v1/labs/${first!.lab.id}` });
    expect(res.statusCode).toBe(200);
    const lab = res.json<{ sites: unknown[]; qualifications: { kind: string; valid: boolean; scope: unknown[] }[] }>();
    expect(lab.sites.length).toBeGreaterThan(0);
    const cma = lab.qualifications.find((q) => q.kind === 'cma' && q.valid);
    expect(cma?.scope.length).toBeGreaterThan(0);
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/labs/00000000-0000-4000-8000-000000000000' }),
      404,
      'not_found',
    );
  });

  it('lists categories with counts and cities', async () => {
    const cats = (await t.app.inject({ method: 'GET', url: '/v1/categories' })).json<{
      items: { code: string; instrumentCount: number }[];
    }>();
    expect(cats.items.find((c) => c.code === 'sem')?.instrumentCount).toBeGreaterThan(0);
    const cities = (await t.app.inject({ method: 'GET', url: '/v1/regions?level=city' })).json<{
      items: { code: string }[];
    }>();
    expect(cities.items.length).toBeGreaterThanOrEqual(3);
    const stats = (await t.app.inject({ method: 'GET', url: '/v1/stats' })).json<{
      labs: number;
      cities: number;
      instruments: number;
    }>();
    expect(stats.labs).toBeGreaterThanOrEqual(6);
    expect(stats.cities).toBeGreaterThanOrEqual(3);
    expect(stats.instruments).toBeGreaterThanOrEqual(40);
  });
});

describe('cursors', () => {
  it('answers a tampered cursor with 400 invalid_cursor, never 500', async () => {
    const bad = [
      encodeCursor('price_asc', 'abc', '00000000-0000-4000-8000-000000000000'),
      encodeCursor('name', 'x', '------------------------------------'),
      encodeCursor('newest', 'yesterday', '00000000-0000-4000-8000-000000000000'),
      encodeCursor('relevance', 'high', '00000000-0000-4000-8000-000000000000'),
    ];
    for (const [i, cursor] of bad.entries()) {
      const sort = ['price_asc', 'name', 'newest', 'relevance'][i]!;
      for (const path of ['/v1/instruments', '/v1/services']) {
        expectProblem(
          await t.app.inject({ method: 'GET', url: `${path}?sort=${sort}&q=sem&cursor=${cursor}` }),
          400,
          'invalid_cursor',
        );
      }
    }
  });
});
