import { need } from '$lib/server/api';
import { enterpriseMemberships, invalidQi, refusedQi, requireSignedIn, text } from '$lib/server/actions';
import { isTrigger } from '$lib/assistance/assistance';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireSignedIn(locals, url);
  const enterprises = enterpriseMemberships(user);
  if (enterprises.length === 0) return { enterprises, requests: [], officers: [], flash: null };
  const mine = new Set(enterprises.map((e) => e.orgId));
  const [list, officers] = await Promise.all([
    need(locals.api.GET('/v1/assistance-requests')),
    Promise.all(
      enterprises.map(async (e) => {
        const { data } = await locals.api.GET('/v1/enterprises/{id}/officer', { params: { path: { id: e.orgId } } });
        return data ?? null;
      }),
    ),
  ]);
  return {
    enterprises,
    requests: list.items.filter((r) => mine.has(r.enterprise.id)),
    officers: officers.filter((o) => o !== null),
    flash: url.searchParams.get('flash'),
  };
};

export const actions: Actions = {
  create: async ({ request, locals, url }) => {
    const user = requireSignedIn(locals, url);
    const form = await request.formData();
    const values = {
      enterpriseId: text(form, 'enterpriseId'),
      titleZh: text(form, 'titleZh'),
      problemZh: text(form, 'problemZh'),
      trigger: text(form, 'trigger'),
      productZh: text(form, 'productZh'),
    };
    const enterprises = enterpriseMemberships(user);
    if (enterprises.length === 0) return invalidQi('create', 'no_enterprise', { values });
    const enterpriseId = enterprises.length === 1 ? enterprises[0]!.orgId : values.enterpriseId;
    if (!enterprises.some((e) => e.orgId === enterpriseId))
      return invalidQi('create', 'enterprise_required', { values });
    if (values.titleZh.length < 2 || values.problemZh.length < 2)
      return invalidQi('create', 'validation_failed', { values });
    const { data, error, response } = await locals.api.POST('/v1/assistance-requests', {
      body: {
        enterpriseId,
        titleZh: values.titleZh,
        problemZh: values.problemZh,
        trigger: isTrigger(values.trigger) ? values.trigger : 'other',
        ...(values.productZh ? { productZh: values.productZh } : {}),
      },
    });
    if (!data) return refusedQi('create', error, response.status, { values });
    redirect(303, `/assistance/${data.id}?flash=created`);
  },
};
