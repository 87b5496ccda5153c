import { redirect } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { safeRedirect } from '$lib/redirect';
import type { RequestHandler } from './$types';

/** `/locale?set=en&redirect=/instruments?q=SEM` — a plain link, so switching works without JavaScript. */
export const GET: RequestHandler = ({ url, cookies }) => {
  const wanted = url.searchParams.get('set');
  if (isLocale(wanted)) {
    cookies.set(LOCALE_COOKIE, wanted, {
      path: '/',
      httpOnly: false,
      sameSite: 'lax',
      secure: url.protocol === 'https:',
      maxAge: 60 * 60 * 24 * 365,
    });
  }
  redirect(303, safeRedirect(url.searchParams.get('redirect'), url));
};
