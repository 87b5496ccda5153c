import { describe, expect, it } from 'vitest';
import { acceptedFormOrigins, isCrossSiteForm } from './csrf';

const post = (origin: string | null, type = 'application/x-www-form-urlencoded', method = 'POST') =>
  new Request('http://localhost:3000/login', {
    method,
    headers: { 'content-type': type, ...(origin === null ? {} : { origin }) },
    body: method === 'GET' ? undefined : 'a=1',
  });

describe('the form origin check', () => {
  const own = new URL('http://localhost:3000/login');

  it('accepts a form from the own origin and from its loopback aliases on the same port', () => {
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
      expect(isCrossSiteForm(post(origin), own), origin).toBe(false);
    }
  });

  it('refuses a form from another site, another port, another scheme, or with no origin at all', () => {
    for (const origin of [
      'http://evil.example',
      'http://localhost:3001',
      'https://localhost:3000',
      'http://127.0.0.2:3000',
      'null',
      null,
    ]) {
      expect(isCrossSiteForm(post(origin), own), String(origin)).toBe(true);
      expect(isCrossSiteForm(post(origin, 'multipart/form-data; boundary=x'), own)).toBe(true);
      expect(isCrossSiteForm(post(origin, 'text/plain'), own)).toBe(true);
    }
  });

  it('leaves reads and non-form bodies to the API (they cannot be sent cross-site by a plain form)', () => {
    expect(
      isCrossSiteForm(new Request('http://localhost:3000/', { headers: { origin: 'http://evil.example' } }), own),
    ).toBe(false);
    expect(isCrossSiteForm(post('http://evil.example', 'application/json'), own)).toBe(false);
  });

  it('trusts no alias of a public origin', () => {
    const pub = new URL('https://qihub.example.cn/');
    expect(acceptedFormOrigins(pub)).toEqual(['https://qihub.example.cn']);
    expect(isCrossSiteForm(post('https://qihub.example.cn'), pub)).toBe(false);
    expect(isCrossSiteForm(post('http://localhost:3000'), pub)).toBe(true);
  });
});
