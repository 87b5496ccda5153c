import { error } from '@sveltejs/kit';
import { problemCode } from '$lib/booking/bookings.server';
import type { RequestHandler } from './$types';

/**
 * The booking's .ics, fetched from the API with the visitor's session (the browser holds only the
 * session cookie, never an API token) and handed over as a download.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
  if (!locals.user) error(401, { message: 'Sign in to download', code: 'unauthorized' });
  const {
    data,
    error: problem,
    response,
  } = await locals.api.GET('/v1/bookings/{id}/ics', {
    params: { path: { id: params.id } },
    parseAs: 'text',
  });
  if (!response.ok || typeof data !== 'string') {
    const status = response.status === 404 || response.status === 403 ? response.status : 502;
    error(status, { message: 'Calendar file unavailable', code: problemCode(problem, response.status) });
  }
  return new Response(data, {
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `attachment; filename="qihub-booking-${params.id.slice(0, 8)}.ics"`,
      'cache-control': 'private, no-store',
    },
  });
};
