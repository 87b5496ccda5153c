import { fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { refused, requireLabManager } from '$lib/lab-console/console.server';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLES = ['manager', 'staff', 'operator'] as const;
type Role = (typeof ROLES)[number];
const asRole = (v: FormDataEntryValue | null): Role | null =>
  (ROLES as readonly string[]).includes(String(v ?? '')) ? (String(v) as Role) : null;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** 成员: the lab's people and open invitations, kept by its managers. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabManager(locals, url);
  const list = await need(locals.api.GET('/v1/labs/{id}/members', { params: { path: { id: lab.orgId } } }));
  return { lab, me: locals.user?.id ?? null, members: list.items, invitations: list.invitations };
};

export const actions: Actions = {
  invite: async ({ locals, url, request }) => {
    const lab = requireLabManager(locals, url);
    const form = await request.formData();
    const email = String(form.get('email') ?? '').trim();
    const role = asRole(form.get('role'));
    const values = { email, role: role ?? 'staff' };
    if (!EMAIL.test(email) || email.length > 254) {
      return fail(400, { action: 'invite', code: null, values, emailError: 'invalid_format' });
    }
    if (!role) return fail(400, { action: 'invite', code: 'invalid_value', values });
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/v1/labs/{id}/members', {
      params: { path: { id: lab.orgId } },
      body: { email, role },
    });
    if (!data) return refused('invite', problem, response.status, { values });
    return { action: 'invite', ok: true as const, status: data.status, name: data.email };
  },
  role: async ({ locals, url, request }) => {
    const lab = requireLabManager(locals, url);
    const form = await request.formData();
    const userId = String(form.get('userId') ?? '');
    const role = asRole(form.get('role'));
    if (!UUID.test(userId) || !role) return fail(400, { action: 'role', code: 'invalid_value' });
    const name = String(form.get('name') ?? '');
    const {
      data,
      error: problem,
      response,
    } = await locals.api.PATCH('/v1/labs/{id}/members/{userId}', {
      params: { path: { id: lab.orgId, userId } },
      body: { role },
    });
    if (!data) return refused('role', problem, response.status, { userId });
    return { action: 'role', ok: true as const, name };
  },
  remove: async ({ locals, url, request }) => {
    const lab = requireLabManager(locals, url);
    const form = await request.formData();
    const userId = String(form.get('userId') ?? '');
    if (!UUID.test(userId)) return fail(400, { action: 'remove', code: 'not_found' });
    const name = String(form.get('name') ?? '');
    const { error: problem, response } = await locals.api.DELETE('/v1/labs/{id}/members/{userId}', {
      params: { path: { id: lab.orgId, userId } },
    });
    if (!response.ok) return refused('remove', problem, response.status, { userId });
    return { action: 'remove', ok: true as const, name };
  },
  cancel: async ({ locals, url, request }) => {
    const lab = requireLabManager(locals, url);
    const form = await request.formData();
    const invitationId = String(form.get('invitationId') ?? '');
    if (!UUID.test(invitationId)) return fail(400, { action: 'cancel', code: 'not_found' });
    const { error: problem, response } = await locals.api.DELETE('/v1/labs/{id}/invitations/{invitationId}', {
      params: { path: { id: lab.orgId, invitationId } },
    });
    if (!response.ok) return refused('cancel', problem, response.status);
    return { action: 'cancel', ok: true as const, name: String(form.get('email') ?? '') };
  },
};
