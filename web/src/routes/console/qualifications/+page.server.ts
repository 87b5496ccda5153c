import { fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { refused, requireLabManager } from '$lib/lab-console/console.server';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One scope line a row: "parameter | standard" (optionally "product | parameter | standard"). */
function parseScope(text: string) {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const out: { productZh?: string; parameterZh: string; standardCode: string }[] = [];
  for (const l of lines) {
    const parts = l.split(/[|｜]/).map((p) => p.trim());
    if (parts.length === 2 && parts[0] && parts[1]) out.push({ parameterZh: parts[0], standardCode: parts[1] });
    else if (parts.length === 3 && parts[1] && parts[2])
      out.push({ productZh: parts[0], parameterZh: parts[1], standardCode: parts[2] });
    else return null;
  }
  return out;
}

/** 资质: the lab's CMA / CNAS certificates and their scope. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabManager(locals, url);
  const list = await need(locals.api.GET('/v1/labs/{id}/qualifications', { params: { path: { id: lab.orgId } } }));
  return { lab, items: list.items };
};

export const actions: Actions = {
  add: async ({ locals, url, request }) => {
    const lab = requireLabManager(locals, url);
    const form = await request.formData();
    const values = {
      kind: String(form.get('kind') ?? 'cma'),
      number: String(form.get('number') ?? '').trim(),
      issuedOn: String(form.get('issuedOn') ?? ''),
      validUntil: String(form.get('validUntil') ?? ''),
      scope: String(form.get('scope') ?? ''),
    };
    const scope = parseScope(values.scope);
    if (!scope) return fail(400, { action: 'add', code: null, values, scopeError: true });
    if (
      (values.kind !== 'cma' && values.kind !== 'cnas') ||
      !values.number ||
      !DATE.test(values.issuedOn) ||
      !DATE.test(values.validUntil)
    ) {
      return fail(400, { action: 'add', code: 'validation_failed', values });
    }
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/v1/labs/{id}/qualifications', {
      params: { path: { id: lab.orgId } },
      body: {
        kind: values.kind,
        number: values.number,
        issuedOn: values.issuedOn,
        validUntil: values.validUntil,
        scope,
      },
    });
    if (!data) return refused('add', problem, response.status, { values });
    return { action: 'add', ok: true as const, name: data.number };
  },
  withdraw: async ({ locals, url, request }) => {
    const lab = requireLabManager(locals, url);
    const id = String((await request.formData()).get('qualificationId') ?? '');
    if (!UUID.test(id)) return fail(400, { action: 'withdraw', code: 'not_found' });
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/v1/labs/{id}/qualifications/{qualificationId}/withdraw', {
      params: { path: { id: lab.orgId, qualificationId: id } },
    });
    if (!data) return refused('withdraw', problem, response.status);
    return { action: 'withdraw', ok: true as const, name: data.number };
  },
};
