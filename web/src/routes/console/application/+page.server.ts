import { error, fail, redirect } from '@sveltejs/kit';
import { send } from '$lib/finance/finance.server';
import { certificateUploads, parseApplication, type ChecklistId } from '$lib/admission/forms';
import { post } from '$lib/orders/orders.server';
import { requireLabManager } from '$lib/lab-console/console.server';
import type { Actions, PageServerLoad } from './$types';

async function loadApplication(locals: App.Locals, labId: string) {
  const { data, response } = await locals.api.GET('/v1/labs/{id}/application', { params: { path: { id: labId } } });
  if (!data) error(response.status === 404 ? 404 : 502, { message: 'Application not available', code: 'api_error' });
  return data;
}

/** 入驻申请: a lab manager prepares, saves and submits the lab's application to join the platform. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabManager(locals, url);
  return {
    labId: lab.orgId,
    application: await loadApplication(locals, lab.orgId),
    flash: url.searchParams.get('flash'),
  };
};

async function save(locals: App.Locals, url: URL, request: Request, thenSubmit: boolean) {
  const lab = requireLabManager(locals, url);
  const current = await loadApplication(locals, lab.orgId);
  const form = await request.formData();
  const body = parseApplication(
    form,
    current.checklist.map((c) => c.id as ChecklistId),
  );
  const saved = await send(locals.api, 'PUT', '/v1/labs/{id}/application', { id: lab.orgId }, body);
  if (!saved.ok)
    return fail(saved.status >= 500 ? 502 : saved.status, {
      code: saved.code,
      detail: saved.detail,
      errors: saved.problem?.errors ?? [],
      values: body,
    });
  // Then the certificate scans chosen, each onto its (now saved) certificate.
  for (const { index, file } of certificateUploads(form)) {
    const upload = new FormData();
    upload.append('file', file, file.name);
    const sent = await post(
      locals.api,
      '/v1/labs/{id}/application/certificates/{index}/file',
      { id: lab.orgId, index: String(index) },
      upload,
    );
    if (!sent.ok)
      return fail(sent.status >= 500 ? 502 : sent.status, {
        code: sent.code,
        detail: sent.detail,
        errors: [{ path: `/certificates/${index}/file`, code: sent.code, message: sent.detail ?? '' }],
        values: body,
      });
  }
  if (thenSubmit) {
    const submitted = await send(locals.api, 'POST', '/v1/labs/{id}/application/submit', { id: lab.orgId });
    if (!submitted.ok) {
      return fail(submitted.status >= 500 ? 502 : submitted.status, {
        code: submitted.code,
        detail: submitted.detail,
        errors: submitted.problem?.errors ?? [],
        values: body,
      });
    }
  }
  redirect(303, `/console/application?lab=${lab.orgId}&flash=${thenSubmit ? 'submitted' : 'saved'}`);
}

export const actions: Actions = {
  save: ({ locals, url, request }) => save(locals, url, request, false),
  submit: ({ locals, url, request }) => save(locals, url, request, true),
};
