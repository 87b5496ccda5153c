/**
 * Which pages use which message areas (`messages/<area>.<locale>.json`), so a browser fetches only
 * the base messages and the areas of the page it shows (issue 13, speed).
 *
 * An area maps to the route ids that use it (a route id and everything under it: `/console` covers
 * `/console/orders/[id=uuid]`). An area named here loads only on those pages; an area not named here
 * loads on every page, as all did before, so a new area file works everywhere until it is mapped.
 * The base messages (`messages/<locale>.json`: header, navigation, footer, problems, common words)
 * load everywhere. The server always has every message of both languages.
 *
 * `areas.test.ts` reads every page's components and fails when a page uses a key of an area that
 * is not mapped to it; it prints the route ids to add.
 */
export const AREA_ROUTES: Readonly<Record<string, readonly string[]>> = {
  admission: ['/admin', '/console', '/notices'],
  admission2: ['/admin', '/console'],
  bookings: ['/admin', '/console', '/bookings', '/checkin/[id=uuid]', '/instruments/[id=uuid]', '/orders/[id=uuid]'],
  card: ['/console', '/invoices'],
  cardfile: ['/console', '/bookings', '/invoices'],
  cases: ['/admin', '/console', '/cases', '/officer'],
  dash: ['/admin'],
  efficiency: ['/admin'],
  inbox: ['/inbox'],
  'lab-admin': ['/console'],
  'lab-catalogue': ['/console'],
  'lab-console': ['/console', '/bookings'],
  money: ['/admin', '/console', '/invoices', '/orders/[id=uuid]', '/vouchers'],
  'money-edges': ['/console'],
  'officer-desk': ['/officer'],
  ops: ['/admin'],
  'order-console': ['/console', '/orders/[id=uuid]'],
  orders: ['/admin', '/console', '/invoices', '/officer', '/orders', '/services/[id=uuid]', '/verify'],
  platfee: ['/admin', '/console'],
  qi: ['/admin', '/console', '/assistance', '/calibration', '/events', '/officer'],
  recon: ['/admin'],
  settle: ['/console', '/invoices'],
  stats: ['/admin', '/register'],
  store: ['/console', '/bookings', '/instruments', '/labs', '/services'],
  vouchers: ['/admin', '/console', '/invoices', '/vouchers'],
};

/** `../../messages/lab-console.zh-CN.json` → `lab-console` (null for the base file `zh-CN.json`). */
export function areaOfFile(file: string, locale: string): string | null {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const suffix = `.${locale}.json`;
  return name.endsWith(suffix) ? name.slice(0, -suffix.length) : null;
}

/** Whether `prefix` is the route id or one of its ancestors (`/orders` covers `/orders/[id=uuid]`). */
export function routeCovers(prefix: string, routeId: string): boolean {
  return routeId === prefix || routeId.startsWith(prefix === '/' ? '/' : `${prefix}/`);
}

/**
 * The areas a page loads, out of `areas` (every area file of the locale): the unmapped ones and
 * those mapped to the page's route. No route (a 404): the unmapped ones.
 */
export function areasForRoute(routeId: string | null, areas: readonly string[]): string[] {
  return areas.filter((area) => {
    const routes = AREA_ROUTES[area];
    if (!routes) return true;
    return routeId !== null && routes.some((prefix) => routeCovers(prefix, routeId));
  });
}
