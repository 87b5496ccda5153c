import { fail } from '@sveltejs/kit';
import type { Problem } from '$lib/types';

/**
 * The console's catalogue lists (instruments, services) from their address: a status the list
 * knows, the search words (at most `maxQ` characters), the page; as the API's query and as the
 * filter the page shows back.
 */
export function catalogueListQuery<S extends string>(url: URL, statuses: readonly S[], maxQ: number) {
  const asked = url.searchParams.get('status') ?? '';
  const status = statuses.find((s) => s === asked);
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, maxQ);
  const cursor = url.searchParams.get('cursor') ?? undefined;
  return {
    query: { limit: 50, ...(status ? { status } : {}), ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) },
    filter: { status: status ?? '', q },
  };
}

/** What a form just did to one item (`?created=`, `?saved=`, `?retired=` its id), for the list to say. */
export function catalogueFlash(url: URL) {
  const kind = (['created', 'saved', 'retired'] as const).find((k) => url.searchParams.has(k));
  return kind ? { kind, id: url.searchParams.get(kind) } : null;
}

/** The API refused to retire the item: the edit page says why beside the retire button. */
export function retireRefused(error: unknown, status: number) {
  return fail(status >= 500 ? 502 : status, {
    retireCode: (error as Partial<Problem> | undefined)?.code ?? 'unknown',
  });
}
