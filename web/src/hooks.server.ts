import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { loadMessages, LOCALE_COOKIE, LOCALES, resolveLocale } from '$lib/i18n';
import { createApi } from '$lib/server/api';
import { compressResponse } from '$lib/server/compress';
import { crossSiteFormResponse, isCrossSiteForm } from '$lib/server/csrf';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/session';

/** The server speaks both languages: their messages are loaded once, before the first request. */
export const init: ServerInit = async () => {
  await Promise.all(LOCALES.map((locale) => loadMessages(locale)));
};

export const handle: Handle = async ({ event, resolve }) => {
  if (isCrossSiteForm(event.request, event.url)) return crossSiteFormResponse(event.request);
  const locale = resolveLocale(event.cookies.get(LOCALE_COOKIE));
  const token = event.cookies.get(SESSION_COOKIE) ?? null;
  let clientAddress: string | null = null;
  try {
    clientAddress = event.getClientAddress();
  } catch {
    // not available (e.g. during prerendering)
  }
  event.locals.locale = locale;
  event.locals.api = createApi({ token, locale, clientAddress });
  event.locals.user = null;

  if (token) {
    try {
      const { data, response } = await event.locals.api.GET('/v1/auth/me');
      if (data) event.locals.user = data;
      else if (response.status === 401) clearSessionCookie(event.cookies, event.url.protocol === 'https:');
    } catch (e) {
      // The API is down: carry on signed out; pages that need the API show the 503 page themselves.
      console.error('could not load the current user', e);
    }
  }

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', locale),
  });
  const page = withCheckoutOrigin(response, env.STRIPE_CHECKOUT_ORIGIN);
  // A page's own fetches to this server are read by SvelteKit itself, uncompressed.
  return event.isSubRequest ? page : compressResponse(event.request, page);
};

/**
 * The card forms redirect to the processor's pages; a processor at another origin than Stripe's
 * (the local fake: STRIPE_CHECKOUT_ORIGIN=http://127.0.0.1:12111) is added to the page's form-action
 * when the server runs, so the same build serves both.
 */
function withCheckoutOrigin(response: Response, origin: string | undefined): Response {
  if (!origin || !/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(origin)) return response;
  const csp = response.headers.get('content-security-policy');
  if (!csp?.includes('form-action ')) return response;
  try {
    response.headers.set('content-security-policy', csp.replace('form-action ', `form-action ${origin} `));
  } catch {
    // Immutable headers (a fetched response passed through): it has no page to protect.
  }
  return response;
}

export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status >= 500) console.error(`${event.request.method} ${event.url.pathname}`, error);
  return { message, code: status === 404 ? 'not_found' : 'internal' };
};
