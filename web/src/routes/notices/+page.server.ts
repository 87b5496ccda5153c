import { fail, redirect } from '@sveltejs/kit';
import { send } from '$lib/finance/finance.server';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 公示: the public notices of labs joining or leaving, current first; anyone may object while one runs. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const { data } = await locals.api.GET('/v1/notices', { params: { query: { limit: 100 } } });
  const items = data?.items ?? [];
  return {
    notices: [...items.filter((n) => n.open), ...items.filter((n) => !n.open)],
    flash: url.searchParams.get('flash'),
  };
};

export const actions: Actions = {
  object: async ({ locals, request }) => {
    const form = await request.formData();
    const id = String(form.get('id') ?? '');
    const reason = String(form.get('reason') ?? '').trim();
    const contact = String(form.get('contact') ?? '').trim();
    const errors: { reason?: string; contact?: string } = {};
    if ([...reason].length < 5) errors.reason = 'too_short';
    if ([...contact].length < 3) errors.contact = 'too_short';
    if (!UUID.test(id) || Object.keys(errors).length > 0) {
      return fail(400, {
        id,
        code: null as string | null,
        detail: null as string | null,
        errors,
        values: { reason, contact },
      });
    }
    const outcome = await send(locals.api, 'POST', '/v1/notices/{id}/objections', { id }, { reason, contact });
    if (!outcome.ok) {
      return fail(outcome.status >= 500 ? 502 : outcome.status, {
        id,
        code: outcome.code,
        detail: outcome.detail,
        errors: {} as { reason?: string; contact?: string },
        values: { reason, contact },
      });
    }
    redirect(303, '/notices?flash=objected');
  },
};
