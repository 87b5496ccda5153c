/**
 * The pages themselves, compressed (issue 13, speed). Scripts, styles and fonts are written
 * gzip- and brotli-compressed at build time and served so by adapter-node (svelte.config.js); the
 * HTML of a page and the data of a page the browser renders itself (`__data.json`) are made per
 * request, and a phone on a slow line waits for every byte of them. They are compressed here, as
 * they stream: each chunk SvelteKit writes is flushed at once, so streamed data still arrives as
 * soon as it is ready. Brotli when the browser takes it (at a quality made for on-the-fly use),
 * gzip otherwise; nothing else is touched (images, files, anything already encoded, tiny answers).
 */
import { Readable, pipeline } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import zlib from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** Text a browser reads: a page, its data, an error. CSV downloads too; never event streams. */
const COMPRESSIBLE = /^(?:text\/(?:html|plain|csv|sveltekit-data)|application\/(?:json|problem\+json|xml))\b/i;
/** Below this a compressed answer is hardly smaller, and costs a step. */
export const MIN_BYTES = 1024;
/** Brotli's quality for answers made per request: most of 11's gain at a small part of its time. */
const BROTLI_QUALITY = 5;

/** The encoding to answer in for an `Accept-Encoding` header, or null for none. */
export function chooseEncoding(acceptEncoding: string | null | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  const accepted = new Map<string, number>();
  for (const item of acceptEncoding.split(',')) {
    const [name, ...params] = item.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const takes = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (takes('br')) return 'br';
  if (takes('gzip')) return 'gzip';
  return null;
}

/** Whether an answer is worth compressing at all (before asking how the browser takes it). */
export function isCompressible(request: Request, response: Response): boolean {
  if (request.method === 'HEAD' || !response.body) return false;
  if (response.status < 200 || response.status === 204 || response.status === 206 || response.status === 304) {
    return false;
  }
  if (response.headers.has('content-encoding')) return false;
  if (!COMPRESSIBLE.test(response.headers.get('content-type') ?? '')) return false;
  const length = response.headers.get('content-length');
  return length === null || Number(length) >= MIN_BYTES;
}

function compressor(encoding: Encoding): zlib.BrotliCompress | zlib.Gzip {
  if (encoding === 'br') {
    return zlib.createBrotliCompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      },
    });
  }
  return zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH });
}

/** The answer compressed as the request allows, or the answer itself when it should not be. */
export function compressResponse(request: Request, response: Response): Response {
  if (!isCompressible(request, response)) return response;
  const encoding = chooseEncoding(request.headers.get('accept-encoding'));
  if (!encoding) return response;

  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.set('content-encoding', encoding);
  const vary = headers.get('vary');
  if (!vary) headers.set('vary', 'Accept-Encoding');
  else if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) headers.set('vary', `${vary}, Accept-Encoding`);

  const source = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
  const compressed = pipeline(source, compressor(encoding), () => {
    // An error on either side ends the answer early; the browser sees a cut connection, as it would
    // have without compression.
  });
  return new Response(Readable.toWeb(compressed) as ReadableStream<Uint8Array>, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
