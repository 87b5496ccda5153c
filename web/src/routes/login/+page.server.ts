import { fail, redirect } from '@sveltejs/kit';
import { safeRedirect } from '$lib/redirect';
import { fieldErrorsFromProblem, formText } from '$lib/server/problem';
import { setSessionCookie } from '$lib/server/session';
import type { Problem } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const target = safeRedirect(url.searchParams.get('redirect'), url);
  if (locals.user) redirect(303, target);
  return { redirectTo: target };
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url }) => {
    const form = await request.formData();
    const email = formText(form, 'email');
    const password = typeof form.get('password') === 'string' ? (form.get('password') as string) : '';
    const target = safeRedirect(formText(form, 'redirect') || url.searchParams.get('redirect'), url);

    const { data, error, response } = await locals.api.POST('/v1/auth/login', { body: { email, password } });
    if (!data) {
      const problem = error as Partial<Problem> | undefined;
      const { fieldErrors } = fieldErrorsFromProblem(problem, ['email', 'password']);
      return fail(response.status === 429 ? 429 : 400, {
        email,
        code: problem?.code ?? 'unknown',
        fieldErrors,
      });
    }
    setSessionCookie(cookies, data.token, data.expiresAt, url.protocol === 'https:');
    redirect(303, target);
  },
};
