import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';

/**
 * 按资质范围找实验室: labs found by a standard number or a parameter of their CMA / CNAS scope, only
 * on certificates valid on the day, with the matching lines; pages by lab; bad queries refused.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

interface Match {
  kind: 'cma' | 'cnas';
  number: string;
  validUntil: string;
  parameterZh: string;
  standardCode: string;
}
interface LabHit {
  id: string;
  nameZh: string;
  regionCode: string;
  matches: Match[];
}
interface Page {
  items: LabHit[];
  nextCursor: string | null;
}

async function search(params: Record<string, string | number>) {
  const res = await t.app.inject({ method: 'GET', url: '/v1/scope-search', query: stringify(params) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
}

function stringify(params: Record<string, string | number>) {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
}

/** The lab that holds a certificate, found by its number as it is printed on the certificate. */
async function labOfCertificate(number: string) {
  const { rows } = await t.db.pool.query<{ lab_id: string }>(
    'SELECT lab_id FROM lab_qualifications WHERE number = $1',
    [number],
  );
  return rows[0]!.lab_id;
}

let expiredHolder: string;
let validHolder: string;

beforeAll(async () => {
  // Its CMA (GB/T 10125-2012 in scope) ran out on 2025-03-17.
  expiredHolder = await labOfCertificate('190912340876');
  // CMA 221012341158 lists 中性盐雾试验 by GB/T 10125-2021 until 2028-05-19.
  validHolder = await labOfCertificate('221012341158');
});

describe('scope search', () => {
  it('finds the labs whose valid scope lists a standard, however the number is typed', async () => {
    const full = await search({ q: 'GB/T 10125-2021' });
    expect(full.items.map((l) => l.id)).toContain(validHolder);
    for (const q of ['GB/T 10125', 'gb/t10125', '10125', 'GB／T 10125—2021']) {
      const page = await search({ q });
      expect(page.items.map((l) => l.id).sort(), q).toEqual(full.items.map((l) => l.id).sort());
    }
    const hit = full.items.find((l) => l.id === validHolder)!;
    expect(hit.matches).toContainEqual(
      expect.objectContaining({
        kind: 'cma',
        number: '221012341158',
        parameterZh: '中性盐雾试验',
        standardCode: 'GB/T 10125-2021',
      }),
    );
    // Only the lines that match are shown, never the whole scope.
    for (const lab of full.items) {
      for (const m of lab.matches) expect(m.standardCode.replace(/\s/g, '')).toContain('10125');
    }
    // A part of a number is not a number: "25" is not GB/T 10125, nor "1012" GB/T 10125.
    expect((await search({ q: '1012' })).items.flatMap((l) => l.matches).map((m) => m.standardCode)).not.toContain(
      'GB/T 10125-2021',
    );
  });

  it('finds labs by a parameter, in Chinese or English', async () => {
    const zh = await search({ q: '中性盐雾' });
    expect(zh.items.map((l) => l.id)).toContain(validHolder);
    expect(zh.items.every((l) => l.matches.every((m) => m.parameterZh.includes('中性盐雾')))).toBe(true);
    const en = await search({ q: 'neutral salt SPRAY' });
    expect(en.items.map((l) => l.id).sort()).toEqual(zh.items.map((l) => l.id).sort());
  });

  it('leaves out a certificate that has expired, and one that expires while the search is live', async () => {
    const page = await search({ q: '10125' });
    expect(page.items.map((l) => l.id)).not.toContain(expiredHolder);
    expect(await search({ q: 'GB/T 10125-2012' })).toEqual({ items: [], nextCursor: null });
    // Every line shown is on a certificate valid today.
    for (const m of page.items.flatMap((l) => l.matches)) expect(m.validUntil >= '2026-11-26').toBe(true);

    // The day after CMA 221012341158 runs out, its lines no longer count.
    const before = clock.now;
    clock.now = new Date('2028-05-20T02:00:00Z');
    try {
      const later = await search({ q: '10125' });
      const lines = later.items.flatMap((l) => l.matches);
      expect(lines.map((m) => m.number)).not.toContain('221012341158');
      expect(lines.every((m) => m.validUntil >= '2028-05-20')).toBe(true);
    } finally {
      clock.now = before;
    }
  });

  it('narrows to a region', async () => {
    const all = await search({ q: '中性盐雾' });
    const region = all.items.find((l) => l.id === validHolder)!.regionCode;
    const city = `${region.slice(0, 4)}00`;
    const inCity = await search({ q: '中性盐雾', region: city });
    expect(inCity.items.length).toBeGreaterThan(0);
    expect(inCity.items.every((l) => l.regionCode.startsWith(city.slice(0, 4)))).toBe(true);
    expect(inCity.items.length).toBeLessThanOrEqual(all.items.length);
    expect((await search({ q: '中性盐雾', region: '650000' })).items).toEqual([]);
  });

  it('pages by lab without repeating or losing one', async () => {
    const all = await search({ q: '试验', limit: 100 });
    expect(all.items.length).toBeGreaterThan(2);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search(cursor ? { q: '试验', limit: 2, cursor } : { q: '试验', limit: 2 });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((l) => l.id));
  });

  it('refuses a blank or overlong query, a bad region, limit and cursor', async () => {
    const bad = async (query: Record<string, string>) =>
      t.app.inject({ method: 'GET', url: '/v1/scope-search', query });
    expectProblem(await bad({}), 400, 'validation_failed');
    expectProblem(await bad({ q: '   ' }), 400, 'validation_failed');
    expectProblem(await bad({ q: 'x'.repeat(101) }), 400, 'validation_failed');
    expectProblem(await bad({ q: '10125', region: '32' }), 400, 'validation_failed');
    expectProblem(await bad({ q: '10125', limit: '0' }), 400, 'validation_failed');
    expectProblem(await bad({ q: '10125', cursor: 'not-a-cursor' }), 400, 'invalid_cursor');
    // A cursor of another list is not this one's.
    const other = Buffer.from(JSON.stringify(['name', 'x', '00000000-0000-4000-8000-000000000000'])).toString(
      'base64url',
    );
    expectProblem(await bad({ q: '10125', cursor: other }), 400, 'invalid_cursor');
  });

  it('treats the characters of a regular expression in the query as text', async () => {
    for (const q of ['10125(', '[0-9]+', '.*', '\\d']) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/scope-search', query: { q } });
      expect(res.statusCode, q).toBe(200);
    }
    expect((await search({ q: '.*' })).items).toEqual([]);
  });
});
