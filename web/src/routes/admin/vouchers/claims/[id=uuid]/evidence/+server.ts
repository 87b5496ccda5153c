import { error } from '@sveltejs/kit';
import { requirePlatformAdmin } from '$lib/finance/finance.server';
import { UUID } from '$lib/finance/forms';
import { proxyEvidence } from '$lib/vouchers/vouchers.server';
import type { RequestHandler } from './$types';

/** A claim's evidence pack (ZIP) for the programme's admin; the API checks the programme is theirs. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
  requirePlatformAdmin(locals, url);
  const labId = url.searchParams.get('lab') ?? '';
  if (!UUID.test(labId)) error(404, { message: 'No such claim', code: 'not_found' });
  return proxyEvidence(locals.api, labId, params.id);
};
