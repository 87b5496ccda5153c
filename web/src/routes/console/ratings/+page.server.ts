import { redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { labRights, requireLabMember } from '$lib/lab-console/console.server';
import { formInvalid, orderRefusal } from '$lib/order-console/orders.server';
import type { PageServerLoad, Actions } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  // Unanswered first: that is the work; "all" is the record.
  const tab = url.searchParams.get('tab') === 'all' ? 'all' : 'unanswered';
  const cursor = url.searchParams.get('cursor');
  const page = await need(
    locals.api.GET('/v1/labs/{id}/order-ratings', {
      params: {
        path: { id: lab.orgId },
        query: { limit: 20, ...(tab === 'unanswered' ? { unanswered: true } : {}), ...(cursor ? { cursor } : {}) },
      },
    }),
  );
  return {
    lab,
    tab,
    // Managers and staff reply (the API's rule); operators read.
    canReply: labRights(lab).settings,
    items: page.items,
    counts: page.counts,
    nextCursor: page.nextCursor,
    onFirstPage: !cursor,
    replied: url.searchParams.get('replied'),
  };
};

export const actions: Actions = {
  reply: async ({ request, locals, url }) => {
    const lab = requireLabMember(locals, url);
    const form = await request.formData();
    const orderId = String(form.get('orderId') ?? '');
    const reply = String(form.get('reply') ?? '').trim();
    if (!/^[0-9a-f-]{36}$/i.test(orderId)) return formInvalid('reply', {}, {});
    if (!reply) {
      return formInvalid('reply', { reply }, { reply: { code: 'required', message: 'Required' } }, orderId);
    }
    const { data, error, response } = await locals.api.POST('/v1/orders/{id}/rating/reply', {
      params: { path: { id: orderId } },
      body: { reply },
    });
    if (!data)
      return orderRefusal('reply', error, response.status, { fields: ['reply'], values: { reply }, target: orderId });
    redirect(
      303,
      `/console/ratings?lab=${lab.orgId}&tab=${url.searchParams.get('tab') ?? 'unanswered'}&replied=${orderId}`,
    );
  },
};
