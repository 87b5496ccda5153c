/**
 * Where to send someone after login or a locale switch. Only paths on this site are followed, so a
 * crafted `?redirect=https://evil.example` or `//evil.example` cannot turn the login form into an
 * open redirect.
 */
export function safeRedirect(target: string | null | undefined, fallback = '/'): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  if (/[\r\n]/.test(target)) return fallback;
  return target;
}
