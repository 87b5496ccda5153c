import { fail } from '@sveltejs/kit';
import { post } from '$lib/orders/orders.server';
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

/**
 * The scope lines as the form sends them, each keeping the English parameter name the certificate
 * already had for the same Chinese one (the form edits only the Chinese text).
 */
function withEnglish(
  lines: { productZh?: string; parameterZh: string; standardCode: string }[],
  known: { parameterZh: string; parameterEn: string }[],
) {
  const en = new Map(known.filter((k) => k.parameterEn).map((k) => [k.parameterZh, k.parameterEn]));
  return lines.map((l) => (en.has(l.parameterZh) ? { ...l, parameterEn: en.get(l.parameterZh)! } : l));
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
      issuingBody: String(form.get('issuingBody') ?? '').trim(),
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
        issuingBody: values.issuingBody,
        scope,
      },
    });
    if (!data) return refused('add', problem, response.status, { values });
    return { action: 'add', ok: true as const, name: data.number };
  },
  edit: async ({ locals, url, request }) => {
    const lab = requireLabManager(locals, url);
    const form = await request.formData();
    const id = String(form.get('qualificationId') ?? '');
    if (!UUID.test(id)) return fail(400, { action: 'edit', code: 'not_found' });
    const values = {
      number: String(form.get('number') ?? '').trim(),
      issuedOn: String(form.get('issuedOn') ?? ''),
      validUntil: String(form.get('validUntil') ?? ''),
      issuingBody: String(form.get('issuingBody') ?? '').trim(),
      scope: String(form.get('scope') ?? ''),
    };
    const scope = parseScope(values.scope);
    if (!scope) return fail(400, { action: 'edit', id, code: null, values, scopeError: true });
    if (!values.number || !DATE.test(values.issuedOn) || !DATE.test(values.validUntil)) {
      return fail(400, { action: 'edit', id, code: 'validation_failed', values });
    }
    const list = await need(locals.api.GET('/v1/labs/{id}/qualifications', { params: { path: { id: lab.orgId } } }));
    const known = list.items.find((q) => q.id === id)?.scope ?? [];
    const {
      data,
      error: problem,
      response,
    } = await locals.api.PATCH('/v1/labs/{id}/qualifications/{qualificationId}', {
      params: { path: { id: lab.orgId, qualificationId: id } },
      body: {
        number: values.number,
        issuedOn: values.issuedOn,
        validUntil: values.validUntil,
        issuingBody: values.issuingBody,
        scope: withEnglish(scope, known),
      },
    });
    if (!data) return refused('edit', problem, response.status, { id, values });
    return { action: 'edit', ok: true as const, name: data.number };
  },
  upload: async ({ locals, url, request }) => {
    const lab = requireLabManager(locals, url);
    const form = await request.formData();
    const id = String(form.get('qualificationId') ?? '');
    const file = form.get('file');
    if (!UUID.test(id)) return fail(400, { action: 'upload', code: 'not_found' });
    if (!(file instanceof File) || file.size === 0 || file.name === '') {
      return fail(400, { action: 'upload', id, code: 'file_required' });
    }
    const upload = new FormData();
    upload.append('file', file, file.name);
    const sent = await post<{ number: string }>(
      locals.api,
      '/v1/labs/{id}/qualifications/{qualificationId}/file',
      { id: lab.orgId, qualificationId: id },
      upload,
    );
    if (!sent.ok) return fail(sent.status >= 500 ? 502 : sent.status, { action: 'upload', id, code: sent.code });
    return { action: 'upload', ok: true as const, name: sent.data.number };
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
