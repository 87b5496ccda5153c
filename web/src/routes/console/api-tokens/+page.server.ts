import { fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { refused, requireLabManager } from '$lib/lab-console/console.server';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLES = ['staff', 'operator', 'manager'] as const;
type Role = (typeof ROLES)[number];
/** The lifetimes offered, in days; 0: until revoked. */
const LIFETIMES = [0, 30, 90, 365] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** API 令牌: the tokens the lab's own systems (LIMS, instrument PCs) call the API with. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabManager(locals, url);
  const list = await need(locals.api.GET('/v1/orgs/{orgId}/api-tokens', { params: { path: { orgId: lab.orgId } } }));
  // "Expired" is judged on the server's clock, so the page hydrates to what it rendered.
  return { lab, tokens: list.items, lifetimes: [...LIFETIMES], now: new Date().toISOString() };
};

export const actions: Actions = {
  create: async ({ locals, url, request }) => {
    const lab = requireLabManager(locals, url);
    const form = await request.formData();
    const name = String(form.get('name') ?? '').trim();
    const roleText = String(form.get('role') ?? 'staff');
    const days = Number(form.get('days') ?? 0);
    const values = { name, role: roleText, days: String(days) };
    if (name.length === 0 || name.length > 100) {
      return fail(400, { action: 'create', code: null, values, nameError: name ? 'too_long' : 'required' });
    }
    if (!(ROLES as readonly string[]).includes(roleText) || !(LIFETIMES as readonly number[]).includes(days)) {
      return fail(400, { action: 'create', code: 'invalid_value', values });
    }
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/v1/orgs/{orgId}/api-tokens', {
      params: { path: { orgId: lab.orgId } },
      body: {
        name,
        role: roleText as Role,
        ...(days > 0 ? { expiresAt: new Date(Date.now() + days * DAY_MS).toISOString() } : {}),
      },
    });
    if (!data) return refused('create', problem, response.status, { values });
    // The secret goes to this one answer only: it is never read back.
    return { action: 'create', ok: true as const, name: data.name, secret: data.token, prefix: data.prefix };
  },
  revoke: async ({ locals, url, request }) => {
    const lab = requireLabManager(locals, url);
    const tokenId = String((await request.formData()).get('tokenId') ?? '');
    if (!UUID.test(tokenId)) return fail(400, { action: 'revoke', code: 'not_found' });
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/v1/orgs/{orgId}/api-tokens/{tokenId}/revoke', {
      params: { path: { orgId: lab.orgId, tokenId } },
    });
    if (!data) return refused('revoke', problem, response.status);
    return { action: 'revoke', ok: true as const, name: data.name };
  },
};
