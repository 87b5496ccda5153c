/**
 * The origin check for form posts. SvelteKit's built-in check compares the Origin header with one
 * origin only; the product's default runs on plain http and is opened as http://localhost:3000 as
 * often as http://127.0.0.1:3000, so the loopback aliases of a loopback origin are accepted too. Any
 * other origin is refused, as SvelteKit would (svelte.config.js hands the check over to this file).
 */

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The origins a form may be posted from to a server whose own origin is `own`. */
export function acceptedFormOrigins(own: URL): string[] {
  if (!LOOPBACK_HOSTS.includes(own.hostname)) return [own.origin];
  const port = own.port ? `:${own.port}` : '';
  return [own.origin, ...LOOPBACK_HOSTS.map((host) => `${own.protocol}//${host}${port}`)].filter(
    (o, i, all) => all.indexOf(o) === i,
  );
}

function isFormContentType(request: Request): boolean {
  const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return FORM_TYPES.includes(type);
}

/** True for a form submission that comes from another site (or says nothing of where it comes from). */
export function isCrossSiteForm(request: Request, own: URL): boolean {
  if (!UNSAFE_METHODS.has(request.method) || !isFormContentType(request)) return false;
  const origin = request.headers.get('origin');
  return origin === null || !acceptedFormOrigins(own).includes(origin);
}

export function crossSiteFormResponse(request: Request): Response {
  const message = `Cross-site ${request.method} form submissions are forbidden`;
  if (request.headers.get('accept') === 'application/json') {
    return new Response(JSON.stringify({ message }), { status: 403, headers: { 'content-type': 'application/json' } });
  }
  return new Response(message, { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
