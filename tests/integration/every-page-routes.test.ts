import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CRAWL_OWNERS } from '../support/every-page-routes.ts';
import { pageRoutes } from '../support/page-audit.ts';

// The crawl of every page is split over several browser files (e2e/every-page-*.test.ts) so that they
// run on separate workers; each checks that it visited the routes it owns. This checks the ownership
// itself: together the files own every page the web has, each page once, and nothing that is not a page.
// A new page fails here until a crawl file owns (and so visits) it.

const TESTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const owned = Object.values(CRAWL_OWNERS).flat();

describe('the crawl of every page', () => {
  it('owns every page route of the web', () => {
    const missing = pageRoutes().filter((route) => !owned.includes(route));
    expect(missing).toEqual([]);
  });

  it('owns each route in one file only', () => {
    const twice = owned.filter((route, i) => owned.indexOf(route) !== i);
    expect(twice).toEqual([]);
  });

  it('owns no route the web does not have', () => {
    const routes = pageRoutes();
    expect(owned.filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('names crawl files that exist', () => {
    const files = Object.keys(CRAWL_OWNERS);
    expect(files.filter((file) => !existsSync(path.join(TESTS, file)))).toEqual([]);
  });
});
