import { createHash, randomBytes } from 'node:crypto';

/** Opaque bearer secrets. Only their SHA-256 is stored, so a database leak reveals no token. */
export const SESSION_PREFIX = 'qhs_';
export const API_TOKEN_PREFIX = 'qht_';
/** The browser's session cookie (the web server forwards it as a bearer secret). */
export const SESSION_COOKIE = 'qihub_session';

export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
