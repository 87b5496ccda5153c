import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ILLUSTRATED_CATEGORIES, illustrationOf } from './illustrations';
import { photoSources, sitePhotoUrl } from './photo-url';

/** The category codes of the reference data (db/src/seed/data/reference.ts), read as text. */
function referenceCategories(): string[] {
  const file = fileURLToPath(new URL('../../../../db/src/seed/data/reference.ts', import.meta.url));
  const text = readFileSync(file, 'utf8');
  const list = text.slice(text.indexOf('export const INSTRUMENT_CATEGORIES'));
  return [...list.slice(0, list.indexOf('];')).matchAll(/code: '([a-z_]+)'/g)].map((m) => m[1]!);
}

describe('category illustrations', () => {
  it('draw every category of the reference data, and nothing else', () => {
    const codes = referenceCategories();
    expect(codes.length).toBeGreaterThan(20);
    expect([...ILLUSTRATED_CATEGORIES].sort()).toEqual([...codes].sort());
  });

  it('stay on the 120 × 80 canvas; an unknown category gets the generic drawing', () => {
    for (const code of [...ILLUSTRATED_CATEGORIES, 'no_such_category']) {
      for (const s of illustrationOf(code)) {
        if (s.kind === 'rect') {
          expect(s.x >= 0 && s.y >= 0 && s.x + s.w <= 120 && s.y + s.h <= 80, `${code} rect`).toBe(true);
        } else if (s.kind === 'circle') {
          expect(s.cx - s.r >= 0 && s.cx + s.r <= 120 && s.cy - s.r >= 0 && s.cy + s.r <= 80, `${code}`).toBe(true);
        } else {
          expect(s.d, code).toMatch(/^M[\d\s.,MmLlHhVvCcAaZz-]+$/);
        }
      }
    }
    expect(illustrationOf('no_such_category').length).toBeGreaterThan(1);
  });
});

describe('photo URLs', () => {
  const id = '0b6f6c1e-6a2f-4b8e-9a53-3f1d2c4b5a69';
  it('serve the API’s photo files from this site', () => {
    expect(sitePhotoUrl(`/v1/instruments/${id}/photos/0123456789abcdef-w320.webp`)).toBe(
      `/instrument-photos/${id}/0123456789abcdef-w320.webp`,
    );
    expect(sitePhotoUrl('https://elsewhere.example/x.webp')).toBeNull();
  });

  it('offer every width in srcset, the narrowest as src with its size', () => {
    const variants = [320, 960].map((w) => ({
      width: w,
      height: Math.round((w * 2) / 3),
      url: `/v1/instruments/${id}/photos/0123456789abcdef-w${w}.webp`,
    }));
    expect(photoSources(variants)).toEqual({
      src: `/instrument-photos/${id}/0123456789abcdef-w320.webp`,
      srcset: `/instrument-photos/${id}/0123456789abcdef-w320.webp 320w, /instrument-photos/${id}/0123456789abcdef-w960.webp 960w`,
      width: 320,
      height: 213,
    });
    expect(photoSources([])).toBeNull();
  });
});
