import { need } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const [stats, categories] = await Promise.all([
    need(locals.api.GET('/v1/stats')),
    need(locals.api.GET('/v1/categories')),
  ]);
  const welcome = url.searchParams.get('welcome');
  return {
    stats,
    categories: categories.items.filter((c) => c.instrumentCount > 0),
    welcome: welcome === 'lab' || welcome === 'enterprise' ? welcome : null,
  };
};
