import type { Handle, HandleServerError } from '@sveltejs/kit';
import { LOCALE_COOKIE, resolveLocale } from '$lib/i18n';
import { createApi } from '$lib/server/api';
import { crossSiteFormResponse, isCrossSiteForm } from '$lib/server/csrf';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/session';

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

  return resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', locale),
  });
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status >= 500) console.error(`${event.request.method} ${event.url.pathname}`, error);
  return { message, code: status === 404 ? 'not_found' : 'internal' };
};
