import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Cookies } from '@sveltejs/kit';
import type { Api } from '$lib/server/api';
import { fileHeaders } from './files';
import { proxyApiFile } from '$lib/order-console/orders.server';
import { proxyFile } from '$lib/orders/orders.server';

const upstream = (headers: Record<string, string>) => new Headers(headers);

describe('fileHeaders: what the web passes on with a file from the API', () => {
  it('always forbids sniffing and shared caching', () => {
    const h = fileHeaders(upstream({ 'content-type': 'application/pdf' }), 'report.pdf');
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('cache-control')).toBe('private, no-store');
  });

  it('keeps the type, length and disposition of the files the API serves', () => {
    const pdf = fileHeaders(
      upstream({
        'content-type': 'application/pdf',
        'content-length': '1234',
        'content-disposition': 'attachment; filename="R-2026-0001.pdf"',
        'x-content-sha256': 'abc',
      }),
      'report.pdf',
    );
    expect(pdf.get('content-type')).toBe('application/pdf');
    expect(pdf.get('content-length')).toBe('1234');
    expect(pdf.get('content-disposition')).toBe('attachment; filename="R-2026-0001.pdf"');
    expect(pdf.get('x-content-sha256')).toBe('abc');
    // A sample photo is an image shown in the page: no disposition needed.
    const photo = fileHeaders(upstream({ 'content-type': 'image/webp' }), 'photo');
    expect(photo.get('content-type')).toBe('image/webp');
    expect(photo.get('content-disposition')).toBeNull();
  });

  it('never lets a file render as a page of this site: unknown types become downloads of bytes', () => {
    for (const type of ['text/html; charset=utf-8', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', '']) {
      const h = fileHeaders(upstream(type ? { 'content-type': type } : {}), 'attachment');
      expect(h.get('content-type'), type).toBe('application/octet-stream');
      expect(h.get('content-disposition'), type).toBe('attachment; filename="attachment"');
    }
    // Text and office files are served, but only as downloads.
    const csv = fileHeaders(upstream({ 'content-type': 'text/csv', 'content-disposition': 'inline' }), 'data.csv');
    expect(csv.get('content-type')).toBe('text/csv');
    expect(csv.get('content-disposition')).toBe('attachment; filename="data.csv"');
    const inlineName = fileHeaders(
      upstream({ 'content-type': 'text/plain', 'content-disposition': 'inline; filename="a.txt"' }),
      'x',
    );
    expect(inlineName.get('content-disposition')).toBe('attachment; filename="a.txt"');
  });

  it('makes a fallback name safe for the header', () => {
    const h = fileHeaders(upstream({}), 'report "x"\r\n.pdf');
    expect(h.get('content-disposition')).toBe('attachment; filename="report__x___.pdf"');
  });
});

describe('the two file proxies', () => {
  afterEach(() => vi.unstubAllGlobals());

  const served = () =>
    new Response('<html><script>alert(1)</script></html>', {
      headers: { 'content-type': 'text/html', 'content-disposition': 'inline' },
    });

  it('proxyFile (customer pages) passes nosniff and neutralises an unsafe type', async () => {
    const response = served();
    const api = { GET: async () => ({ data: response.body, response }) } as unknown as Api;
    const file = await proxyFile(
      api,
      '/v1/orders/{id}/attachments/{attachmentId}',
      { id: 'o', attachmentId: 'a' },
      'f',
    );
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    expect(file.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.response.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.response.headers.get('content-disposition')).toBe('attachment; filename="f"');
  });

  it('proxyApiFile (console pages) does the same', async () => {
    vi.stubGlobal('fetch', async () => served());
    const cookies = { get: () => 'qhs_token' } as unknown as Cookies;
    const locals = { user: { id: 'u' }, locale: 'zh-CN' } as unknown as App.Locals;
    const res = await proxyApiFile(locals, cookies, '/v1/orders/o/samples/s/photo');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="file"');
  });
});
