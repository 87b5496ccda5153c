import type { ParamMatcher } from '@sveltejs/kit';

/** Catalogue ids are UUIDs; anything else is a page that does not exist (404), not a bad API call. */
export const match: ParamMatcher = (param) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(param);
