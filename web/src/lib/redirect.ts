/**
 * Where to send someone after login, a locale switch or a form that came from another page: only
 * a path on this site. The target is parsed the way a browser parses a Location header (the WHATWG
 * URL parser, which drops tabs and newlines and reads "\" as "/"), against the web's own origin;
 * anything that lands elsewhere — `https://evil.example`, `//evil.example`, `/\t/evil.example`,
 * `/.//evil.example` — gets the fallback. What comes back is the parser's own serialisation of the
 * path, so the browser follows exactly what was checked.
 */
export function safeRedirect(target: string | null | undefined, origin: string | URL, fallback = '/'): string {
  if (typeof target !== 'string' || !target.startsWith('/')) return fallback;
  const own = new URL(origin).origin;
  const path = onOrigin(target, own);
  // A path that collapsed to "//host" (dot segments, an encoded slash) must stay a path on a second read.
  if (path === null || onOrigin(path, own) !== path) return fallback;
  return path;
}

/** The path, query and fragment of `target` if it resolves to `origin`; otherwise null. */
function onOrigin(target: string, origin: string): string | null {
  let url: URL;
  try {
    url = new URL(target, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith('/') && !path.startsWith('//') ? path : null;
}
