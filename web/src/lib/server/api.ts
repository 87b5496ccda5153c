import createClient, { type Client } from 'openapi-fetch';
import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import type { paths } from '$lib/api/schema';
import type { Locale } from '$lib/i18n';
import type { Problem } from '$lib/types';

export type Api = Client<paths>;

export function apiBaseUrl(): string {
  return (env.API_URL || 'http://127.0.0.1:3001').replace(/\/+$/, '');
}

export interface ApiCaller {
  token: string | null;
  locale: Locale;
  /** The browser's address, so the API's per-client rate limits count people, not this server. */
  clientAddress: string | null;
}

/** One typed API client per request, speaking for the signed-in person (if any). */
export function createApi(caller: ApiCaller): Api {
  const headers: Record<string, string> = { 'accept-language': caller.locale };
  if (caller.token) headers.authorization = `Bearer ${caller.token}`;
  if (caller.clientAddress) headers['x-forwarded-for'] = caller.clientAddress;
  return createClient<paths>({
    baseUrl: apiBaseUrl(),
    headers,
    fetch: async (request: Request) => {
      try {
        return await fetch(request);
      } catch (cause) {
        const reason = cause instanceof Error ? String(cause.cause ?? cause.message) : String(cause);
        console.error(`API unreachable at ${apiBaseUrl()}: ${reason}`);
        error(503, { message: 'API unavailable', code: 'api_unavailable' });
      }
    },
  });
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/**
 * For loads that cannot do without the answer: the data, or the matching error page
 * (404 stays 404, 401/403 become the friendly "no access" page, anything else is a 502).
 */
export async function need<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error: problem, response } = await call;
  if (response.ok && data !== undefined) return data;
  const p = problem as Partial<Problem> | undefined;
  const status = response.status;
  if (status === 404 || status === 401 || status === 403) {
    error(status, { message: p?.detail ?? response.statusText, code: p?.code ?? String(status) });
  }
  if (status === 400) error(400, { message: p?.detail ?? 'Bad request', code: p?.code ?? 'bad_request' });
  console.error('API error', response.url, status, p);
  error(502, { message: p?.detail ?? 'API error', code: p?.code ?? 'api_error' });
}
