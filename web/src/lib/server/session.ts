import type { Cookies } from '@sveltejs/kit';

export const SESSION_COOKIE = 'qihub_session';

/** The API's bearer token, kept where page scripts cannot read it. */
export function setSessionCookie(cookies: Cookies, token: string, expiresAt: string, secure: boolean): void {
  const expires = new Date(expiresAt);
  cookies.set(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    ...(Number.isNaN(expires.getTime()) ? {} : { expires }),
  });
}

export function clearSessionCookie(cookies: Cookies, secure: boolean): void {
  cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
