import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect';

describe('safeRedirect', () => {
  it('follows paths on this site', () => {
    expect(safeRedirect('/console')).toBe('/console');
    expect(safeRedirect('/instruments?q=SEM')).toBe('/instruments?q=SEM');
  });
  it('refuses other sites and oddities', () => {
    for (const bad of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'console',
      '',
      null,
      '/a\r\nSet-Cookie: x',
    ]) {
      expect(safeRedirect(bad)).toBe('/');
    }
  });
});
