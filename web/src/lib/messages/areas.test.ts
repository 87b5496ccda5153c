import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AREAS } from '$lib/i18n';
import { AREA_ROUTES, areasForRoute, routeCovers } from './areas';

/**
 * A browser loads only the message areas mapped to the page it shows (areas.ts). This reads every
 * page the way the browser gets it — its layouts, error pages, page and load files, and every
 * module they import, server ones too (a server load may hand a key to the page) — and checks that
 * each key of a mapped area that any of them names belongs to an area the page loads.
 */
const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const src = path.join(web, 'src');
const routesDir = path.join(src, 'routes');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(svelte|ts|js)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}
const files = sourceFiles(src);
const fileSet = new Set(files);
const text = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith('$lib/')) base = path.join(src, 'lib', spec.slice('$lib/'.length));
  else if (spec.startsWith('.')) base = path.resolve(path.dirname(from), spec);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.js`, `${base}.svelte`, path.join(base, 'index.ts')]) {
    if (fileSet.has(candidate)) return candidate;
  }
  return null;
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
const imports = new Map(
  files.map((f) => [
    f,
    [...text.get(f)!.matchAll(IMPORT)]
      .map((m) => resolveImport(f, (m[1] ?? m[2] ?? m[3])!))
      .filter((r): r is string => r !== null),
  ]),
);

function reachable(starts: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...(imports.get(f) ?? []));
  }
  return seen;
}

/** The top-level keys of each area file (zh-CN; both languages have the same keys). */
const messagesDir = path.join(web, 'messages');
const areaKeys = new Map(
  AREAS.map((area) => [
    area,
    Object.keys(JSON.parse(readFileSync(path.join(messagesDir, `${area}.zh-CN.json`), 'utf8')) as object),
  ]),
);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A key written in a string: `'orders.nav'`, `"orders.nav"`, `` `orders.status.${s}` ``. */
const keyPattern = new Map(
  [...areaKeys].map(([area, keys]) => [area, new RegExp(`['"\`](?:${keys.map(escape).join('|')})\\.`)]),
);

/**
 * References that only count on some pages: the shared status badges name a status in the lab's
 * words (console areas) only when a page passes side="lab", which only console pages do.
 */
const LAB_SIDE: { file: string; area: string }[] = [
  { file: 'lib/booking/BookingStatusBadge.svelte', area: 'lab-console' },
  { file: 'lib/orders/OrderStatusBadge.svelte', area: 'order-console' },
];

/** Every page: its route id and the files that make it (root layout first). */
function pages(): { routeId: string; files: string[] }[] {
  return files
    .filter((f) => f.startsWith(routesDir) && path.basename(f) === '+page.svelte')
    .map((page) => {
      const dir = path.dirname(page);
      const segments = path.relative(routesDir, dir).split(path.sep).filter(Boolean);
      const own: string[] = [];
      for (let i = 0; i <= segments.length; i++) {
        const d = path.join(routesDir, ...segments.slice(0, i));
        const names = ['+layout.svelte', '+layout.ts', '+layout.server.ts', '+error.svelte'];
        if (i === segments.length) names.push('+page.svelte', '+page.ts', '+page.server.ts');
        own.push(...names.map((n) => path.join(d, n)).filter((f) => existsSync(f)));
      }
      return { routeId: `/${segments.join('/')}`, files: own };
    });
}

/** The areas a page names a key of, each with one file that names it. */
function areasUsed(pageFiles: string[]): Map<string, string> {
  const all = reachable([...pageFiles, path.join(src, 'hooks.server.ts')]);
  const labSide = [...all].some((f) => /StatusBadge\b[^>]*\bside="lab"/.test(text.get(f)!));
  const out = new Map<string, string>();
  for (const f of all) {
    const rel = path.relative(src, f).split(path.sep).join('/');
    for (const [area, pattern] of keyPattern) {
      if (out.has(area) || !pattern.test(text.get(f)!)) continue;
      if (!labSide && LAB_SIDE.some((x) => x.file === rel && x.area === area)) continue;
      out.set(area, rel);
    }
  }
  return out;
}

describe('message areas by page', () => {
  const all = pages();

  it('finds the pages and the areas', () => {
    expect(all.length).toBeGreaterThan(50);
    expect(all.map((p) => p.routeId)).toContain('/instruments/[id=uuid]');
    expect(AREAS).toContain('orders');
    expect(AREAS).not.toContain('zh-CN');
  });

  it('every page loads every area it names a key of', () => {
    const missing: string[] = [];
    for (const { routeId, files: pageFiles } of all) {
      const loaded = new Set(areasForRoute(routeId, AREAS));
      for (const [area, file] of areasUsed(pageFiles)) {
        if (!loaded.has(area)) missing.push(`${routeId} needs "${area}" (${file}): add it to AREA_ROUTES.${area}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('maps only areas that exist, by route ids that exist', () => {
    const routeIds = all.map((p) => p.routeId);
    for (const [area, routes] of Object.entries(AREA_ROUTES)) {
      expect(AREAS, area).toContain(area);
      for (const prefix of routes) {
        expect(
          routeIds.some((id) => routeCovers(prefix, id)),
          `${area}: ${prefix}`,
        ).toBe(true);
      }
    }
  });

  it('the pages people open most load only what they use', () => {
    expect(areasForRoute('/', AREAS).filter((a) => a in AREA_ROUTES)).toEqual([]);
    const instrument = areasForRoute('/instruments/[id=uuid]', AREAS);
    expect(instrument).toContain('bookings');
    expect(instrument).not.toContain('lab-console');
    expect(areasForRoute('/orders', AREAS)).not.toContain('order-console');
  });

  it('an area nobody mapped loads on every page', () => {
    expect(areasForRoute('/', ['a-new-area', 'lab-console'])).toEqual(['a-new-area']);
    expect(areasForRoute(null, ['a-new-area', 'orders'])).toEqual(['a-new-area']);
    expect(areasForRoute('/console/orders/[id=uuid]', ['a-new-area', 'order-console'])).toEqual([
      'a-new-area',
      'order-console',
    ]);
  });
});
