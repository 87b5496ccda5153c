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
  return resolve(path) + queryString(params);
}
