import { error, fail, redirect } from '@sveltejs/kit';
import { requirePlatformAdmin, send } from '$lib/finance/finance.server';
import type { Actions, PageServerLoad } from './$types';

/** One lab as the platform reviews it: the application, the notice, objections and the decisions. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  requirePlatformAdmin(locals, url);
  const { data, response } = await locals.api.GET('/v1/admin/labs/{id}', { params: { path: { id: params.id } } });
  if (!data) error(response.status === 404 ? 404 : 502, { message: 'Lab not found', code: 'not_found' });
  return { review: data, flash: url.searchParams.get('flash') };
};

type Step = { path: string; reason: boolean; flash: string };
const STEPS: Record<string, Step> = {
  changes: { path: '/v1/admin/labs/{id}/request-changes', reason: true, flash: 'changes' },
  publish: { path: '/v1/admin/labs/{id}/publish-notice', reason: false, flash: 'published' },
  reject: { path: '/v1/admin/labs/{id}/reject', reason: true, flash: 'rejected' },
  admit: { path: '/v1/admin/labs/{id}/admit', reason: false, flash: 'admitted' },
  suspend: { path: '/v1/admin/labs/{id}/suspend', reason: true, flash: 'suspended' },
  reinstate: { path: '/v1/admin/labs/{id}/reinstate', reason: false, flash: 'reinstated' },
  exit: { path: '/v1/admin/labs/{id}/exit', reason: true, flash: 'exitStarted' },
  completeExit: { path: '/v1/admin/labs/{id}/complete-exit', reason: false, flash: 'exited' },
};

function step(name: string): Actions[string] {
  const s = STEPS[name]!;
  return async ({ locals, url, params, request }) => {
    requirePlatformAdmin(locals, url);
    const form = await request.formData();
    const reason = String(form.get('reason') ?? '').trim();
    if (s.reason && [...reason].length < 2) {
      return fail(400, {
        action: name,
        code: 'reason_required' as string | null,
        detail: null as string | null,
        reasonError: 'required',
      });
    }
    const outcome = await send(locals.api, 'POST', s.path, { id: params.id }, s.reason ? { reason } : undefined);
    if (!outcome.ok) {
      return fail(outcome.status >= 500 ? 502 : outcome.status, {
        action: name,
        code: outcome.code,
        detail: outcome.detail,
        reasonError: null,
      });
    }
    redirect(303, `/admin/labs/${params.id}?flash=${s.flash}`);
  };
}

export const actions: Actions = {
  ...Object.fromEntries(Object.keys(STEPS).map((name) => [name, step(name)])),
  handle: async ({ locals, url, params, request }) => {
    requirePlatformAdmin(locals, url);
    const form = await request.formData();
    const id = String(form.get('objectionId') ?? '');
    const handling = String(form.get('handling') ?? '').trim();
    if ([...handling].length < 2) {
      return fail(400, {
        action: 'handle',
        objectionId: id,
        code: 'reason_required' as string | null,
        detail: null as string | null,
        reasonError: 'required',
      });
    }
    const outcome = await send(locals.api, 'POST', '/v1/admin/objections/{id}/handling', { id }, { handling });
    if (!outcome.ok) {
      return fail(outcome.status >= 500 ? 502 : outcome.status, {
        action: 'handle',
        objectionId: id,
        code: outcome.code,
        detail: outcome.detail,
        reasonError: null,
      });
    }
    redirect(303, `/admin/labs/${params.id}?flash=handled`);
  },
};
