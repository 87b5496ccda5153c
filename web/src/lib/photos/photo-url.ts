/**
 * The web serves an instrument's photo from its own origin (`/instrument-photos/<id>/<file>`, see
 * routes/instrument-photos), streamed on from the API's public URL (`/v1/instruments/<id>/photos/<file>`).
 */
const API_PATH = /^\/v1\/instruments\/([0-9a-f-]{36})\/photos\/([0-9a-f]{16}-w\d{2,4}\.webp)$/;

export function sitePhotoUrl(apiUrl: string): string | null {
  const m = API_PATH.exec(apiUrl);
  return m ? `/instrument-photos/${m[1]}/${m[2]}` : null;
}

export interface PhotoVariant {
  width: number;
  height: number;
  url: string;
}

/** `src` (the narrowest), `srcset` (every width) and the intrinsic size, for an <img>. */
export function photoSources(variants: readonly PhotoVariant[]) {
  const usable = variants.flatMap((v) => {
    const url = sitePhotoUrl(v.url);
    return url ? [{ ...v, url }] : [];
  });
  const first = usable[0];
  if (!first) return null;
  return {
    src: first.url,
    srcset: usable.map((v) => `${v.url} ${v.width}w`).join(', '),
    width: first.width,
    height: first.height,
  };
}
