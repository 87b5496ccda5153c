import { catalogueListPage } from '$lib/catalogue/catalogue.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) =>
  catalogueListPage(locals.api, url.searchParams, ({ category: _category, ...query }) =>
    locals.api.GET('/v1/services', { params: { query } }),
  );
