// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Locale } from '$lib/i18n';
import type { Api } from '$lib/server/api';
import type { Me } from '$lib/types';

declare global {
  namespace App {
    interface Error {
      message: string;
      /** A stable code (the API's problem code, or ours) the error page can explain in the visitor's language. */
      code?: string;
    }
    interface Locals {
      locale: Locale;
      /** The API, speaking for the signed-in person (bearer token from the session cookie). */
      api: Api;
      user: Me | null;
    }
    interface PageData {
      locale: Locale;
      user: Me | null;
    }
    // interface PageState {}
    // interface Platform {}
  }
}

export {};
