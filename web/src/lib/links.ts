import { resolve } from '$app/paths';
import type { Pathname } from '$app/types';
import { queryString } from '$lib/query-string';

/**
 * An internal link with a query string. `resolve()` (which applies the base path) takes no query,
 * so the path goes through it and the search parameters are appended; empty ones are left out.
 * The lint rule svelte/no-navigation-without-resolve cannot see through this yet
 * (sveltejs/eslint-plugin-svelte#1327), hence the disable comments next to these links.
 */
export function withQuery(path: Pathname, params: Record<string, string | null | undefined>): string {
  return resolvePath(path) + queryString(params);
}

/**
 * `resolve()` for a path only known as "one of the app's pathnames". resolve() types its arguments
 * as a union of one tuple per route, and TypeScript stops matching a union argument against such a
 * union past 25 routes (TS2345), so the path goes through resolve's one-argument form explicitly.
 */
export function resolvePath(path: Pathname): string {
  return (resolve as (path: Pathname) => string)(path);
}
