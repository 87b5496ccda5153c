import { describe, expect, it } from 'vitest';
import { readCatalogueQuery } from './query';
import { queryString } from '$lib/query-string';

describe('readCatalogueQuery', () => {
  it('sends prices typed in yuan to the API in fen', () => {
    const { query, invalid } = readCatalogueQuery(new URLSearchParams('minPrice=100&maxPrice=299.5'));
    expect(query.minPrice).toBe(10000);
    expect(query.maxPrice).toBe(29950);
    expect(invalid).toEqual([]);
  });

  it('drops values the API would refuse instead of failing the whole search', () => {
    const { query, invalid } = readCatalogueQuery(
      new URLSearchParams('q=SEM&lab=not-a-uuid&qualification=iso&sort=cheapest&kind=nope&region=32&minPrice=abc'),
    );
    expect(query).toEqual({ q: 'SEM', limit: expect.any(Number) });
    expect(invalid).toEqual(['minPrice']);
  });

  it('keeps valid filters and the cursor', () => {
    const lab = '0b7e3c1a-1f2d-4c3b-9a8e-5d6f7a8b9c0d';
    const { query, filters } = readCatalogueQuery(
      new URLSearchParams(`category=sem&region=320500&lab=${lab}&qualification=cnas&sort=price_asc&cursor=abc`),
    );
    expect(query).toMatchObject({
      category: 'sem',
      region: '320500',
      lab,
      qualification: 'cnas',
      sort: 'price_asc',
      cursor: 'abc',
    });
    expect(filters.category).toBe('sem');
  });
});

describe('queryString', () => {
  it('builds the next-page link with the filters and without the empty ones', () => {
    const { filters } = readCatalogueQuery(new URLSearchParams('q=扫描电镜&category=sem&minPrice='));
    expect(queryString({ ...filters, cursor: 'c1' })).toBe(
      `?q=${encodeURIComponent('扫描电镜')}&category=sem&cursor=c1`,
    );
    expect(queryString({})).toBe('');
  });
});
