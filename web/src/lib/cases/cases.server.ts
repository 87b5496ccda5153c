import { error, fail, redirect } from '@sveltejs/kit';
import type { Api } from '$lib/server/api';
import { refusedQi, UUID } from '$lib/server/actions';
import { parseCase } from './forms';

/**
 * The author's side of typical cases, shared by the lab console (/console/cases) and the officer
 * desk (/officer/cases): the organisation's cases, a new draft, edits and submission.
 */
export async function casesOf(api: Api, orgId: string) {
  const res = await api.GET('/v1/case-submissions');
  return (res.data?.items ?? []).filter((c) => c.provider.id === orgId);
}

export async function caseOf(api: Api, id: string) {
  if (!UUID.test(id)) error(404, { message: 'Not found', code: 'not_found' });
  const res = await api.GET('/v1/case-submissions/{id}', { params: { path: { id } } });
  if (!res.data)
    error(res.response.status === 404 ? 404 : res.response.status, { message: 'Not found', code: 'not_found' });
  return res.data;
}

/** Writes a new draft for the organisation and opens it at `base/<id>`. */
export async function createCase(api: Api, orgId: string, form: FormData, base: string, query = '') {
  const { body, errors, values } = parseCase(form);
  if (!body) return fail(400, { action: 'create', code: 'validation_failed', detail: null, errors, values });
  const res = await api.POST('/v1/case-submissions', { body: { orgId, ...body } });
  if (!res.data) return refusedQi('create', res.error, res.response.status, { errors: {}, values });
  redirect(303, `${base}/${res.data.id}${query}${query ? '&' : '?'}flash=created`);
}

export async function saveCase(api: Api, id: string, form: FormData, here: string) {
  const { body, errors, values } = parseCase(form);
  if (!body) return fail(400, { action: 'save', code: 'validation_failed', detail: null, errors, values });
  const res = await api.PATCH('/v1/case-submissions/{id}', { params: { path: { id } }, body });
  if (!res.data) return refusedQi('save', res.error, res.response.status, { errors: {}, values });
  redirect(303, `${here}${here.includes('?') ? '&' : '?'}flash=saved`);
}

export async function submitCase(api: Api, id: string, here: string) {
  const res = await api.POST('/v1/case-submissions/{id}/submit', { params: { path: { id } } });
  if (!res.data) return refusedQi('submit', res.error, res.response.status);
  redirect(303, `${here}${here.includes('?') ? '&' : '?'}flash=submitted`);
}
