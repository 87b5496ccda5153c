import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressResponse, MIN_BYTES } from './compress';

const page =
  '<!doctype html><html><body>' +
  '<p>检验检测、计量、标准、认证认可与知识产权服务。</p>'.repeat(200) +
  '</body></html>';
const get = (acceptEncoding: string | null, method = 'GET') =>
  new Request('http://localhost:3000/instruments', {
    method,
    headers: acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding },
  });
const html = (body: string | ReadableStream<Uint8Array> | null = page, init: ResponseInit = {}) =>
  new Response(body, { status: 200, ...init, headers: { 'content-type': 'text/html', ...init.headers } });

async function bytes(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

describe('compressing the pages', () => {
  it('takes brotli over gzip, honours q=0 and *, and answers plainly to a browser that takes neither', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*, br;q=0')).toBe('gzip');
    expect(chooseEncoding('identity')).toBe(null);
    expect(chooseEncoding('')).toBe(null);
    expect(chooseEncoding(null)).toBe(null);
  });

  it('a page comes brotli- or gzip-compressed, smaller, with its headers and cookies kept', async () => {
    for (const [accept, decode] of [
      ['gzip, deflate, br', zlib.brotliDecompressSync],
      ['gzip', zlib.gunzipSync],
    ] as const) {
      const headers = new Headers({ 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(page)) });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; Path=/');
      const out = compressResponse(get(accept), new Response(page, { status: 200, headers }));
      expect(out.headers.get('content-encoding')).toBe(accept === 'gzip' ? 'gzip' : 'br');
      expect(out.headers.get('content-length')).toBe(null);
      expect(out.headers.get('vary')).toBe('Accept-Encoding');
      expect(out.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
      const body = await bytes(out);
      expect(body.length).toBeLessThan(Buffer.byteLength(page) / 4);
      expect(decode(body).toString('utf8')).toBe(page);
    }
  });

  it('a streamed page is flushed chunk by chunk: the first part arrives before the rest is made', async () => {
    let more!: () => void;
    const later = new Promise<void>((resolve) => (more = resolve));
    const source = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode(page));
        await later;
        controller.enqueue(new TextEncoder().encode('<script>streamed</script>'));
        controller.close();
      },
    });
    const out = compressResponse(get('gzip'), html(source));
    const reader = out.body!.getReader();
    const first: Uint8Array[] = [];
    let got = 0;
    // Everything the first chunk compresses to comes out while the second is still being made.
    while (
      got === 0 ||
      zlib.gunzipSync(Buffer.concat(first), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).length <
        Buffer.byteLength(page)
    ) {
      const { value } = await reader.read();
      first.push(value!);
      got += value!.length;
    }
    more();
    const rest: Uint8Array[] = [...first];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest.push(value);
    }
    expect(zlib.gunzipSync(Buffer.concat(rest)).toString('utf8')).toBe(`${page}<script>streamed</script>`);
  });

  it('keeps a Vary it was given, adding Accept-Encoding once', () => {
    const out = compressResponse(get('br'), html(page, { headers: { vary: 'Cookie' } }));
    expect(out.headers.get('vary')).toBe('Cookie, Accept-Encoding');
    const again = compressResponse(get('br'), html(page, { headers: { vary: 'accept-encoding' } }));
    expect(again.headers.get('vary')).toBe('accept-encoding');
  });

  it('leaves alone HEAD, redirects, tiny answers, images, event streams, encoded answers and plain browsers', async () => {
    const same = (request: Request, response: Response) => expect(compressResponse(request, response)).toBe(response);
    same(get('br', 'HEAD'), html(null));
    same(get('br'), new Response(null, { status: 303, headers: { location: '/orders' } }));
    same(get('br'), new Response(null, { status: 304 }));
    same(get('br'), html('x'.repeat(MIN_BYTES - 1), { headers: { 'content-length': String(MIN_BYTES - 1) } }));
    same(get('br'), new Response(new Uint8Array(5000), { headers: { 'content-type': 'image/webp' } }));
    same(get('br'), new Response('data: x\n\n'.repeat(500), { headers: { 'content-type': 'text/event-stream' } }));
    same(get('br'), html(page, { headers: { 'content-encoding': 'gzip' } }));
    same(get(null), html());
    same(get('identity'), html());
    // Page data and problems are text too.
    const data = compressResponse(
      get('br'),
      new Response(JSON.stringify({ rows: page }), { headers: { 'content-type': 'application/json' } }),
    );
    expect(data.headers.get('content-encoding')).toBe('br');
    expect(JSON.parse(zlib.brotliDecompressSync(await bytes(data)).toString('utf8'))).toEqual({ rows: page });
  });
});
