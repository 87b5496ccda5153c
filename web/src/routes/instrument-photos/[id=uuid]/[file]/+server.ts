import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

const FILE = /^[0-9a-f]{16}-w\d{2,4}\.webp$/;

/**
 * An instrument's photo, streamed on from the API: public like the catalogue, and cached for a year
 * by the browser and any cache on the way, since the file name names its content (a new photo is a
 * new name). The ETag lets a revalidating cache get a 304.
 */
export const GET: RequestHandler = async ({ locals, params, request }) => {
  if (!FILE.test(params.file)) error(404, { message: 'Photo not found', code: 'not_found' });
  const match = request.headers.get('if-none-match');
  const { data, response } = await locals.api.GET('/v1/instruments/{id}/photos/{file}', {
    params: { path: { id: params.id, file: params.file } },
    headers: match ? { 'if-none-match': match } : {},
    parseAs: 'stream',
  });
  const headers = new Headers({ 'x-content-type-options': 'nosniff' });
  for (const name of ['cache-control', 'etag', 'content-length']) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  if (response.status === 304) return new Response(null, { status: 304, headers });
  if (!response.ok || !data) {
    error(response.status === 404 || response.status === 400 ? 404 : 502, {
      message: 'Photo unavailable',
      code: 'not_found',
    });
  }
  headers.set('content-type', 'image/webp');
  return new Response(data as ReadableStream, { headers });
};
