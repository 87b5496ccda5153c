import { fail, redirect } from '@sveltejs/kit';
import { need, type Api } from '$lib/server/api';
import { labContact } from '$lib/catalogue/catalogue.server';
import { localizeErrors, orderingOrgs, post, refused } from '$lib/orders/orders.server';
import { parseRequestForm, requestShape } from '$lib/orders/request';
import {
  addableServices,
  addedServiceIds,
  addedServices,
  MAX_REQUEST_SERVICES,
  requestFieldErrors,
} from '$lib/orders/multi-request';
import type { Actions, PageServerLoad } from './$types';

/** The lab's services on offer now (the public catalogue lists only active ones). */
async function servicesOfLab(api: Api, labId: string) {
  const { data } = await api.GET('/v1/services', { params: { query: { lab: labId, limit: 100 } } });
  return data?.items ?? [];
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
  const service = await need(locals.api.GET('/v1/services/{id}', { params: { path: { id: params.id } } }));
  const user = locals.user;
  const wanted = addedServiceIds(url, service.id);
  const [lab, ratings, labServices] = await Promise.all([
    labContact(locals.api, service.lab.id),
    locals.api.GET('/v1/labs/{id}/ratings', { params: { path: { id: service.lab.id }, query: { limit: 5 } } }),
    user ? servicesOfLab(locals.api, service.lab.id) : Promise.resolve([]),
  ]);
  const added = addedServices(labServices, wanted);
  return {
    service,
    lab,
    // The providing lab's ratings: customers rate the lab's work on an order, not one service.
    ratings: ratings.data ?? null,
    ordering: {
      shape: requestShape(service.kind),
      signedIn: !!user,
      /** A member of the providing lab orders nothing from it. */
      ownLab: !!user?.memberships.some((m) => m.orgId === service.lab.id),
      orgs: orderingOrgs(user),
      /** Services of the same lab added to this request (加入同一委托), and those that may still be. */
      added,
      addable: addableServices(
        labServices,
        service.id,
        added.map((s) => s.id),
      ),
      maxServices: MAX_REQUEST_SERVICES,
    },
  };
};

export const actions: Actions = {
  request: async ({ request, locals, params, url }) => {
    if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname)}`);
    const service = await need(locals.api.GET('/v1/services/{id}', { params: { path: { id: params.id } } }));
    const wanted = addedServiceIds(url, service.id);
    const added = wanted.length > 0 ? addedServices(await servicesOfLab(locals.api, service.lab.id), wanted) : [];
    const orgs = orderingOrgs(locals.user);
    const form = await request.formData();
    const parsed = parseRequestForm(
      form,
      service,
      orgs.map((o) => o.orgId),
      added,
    );
    if (!parsed.ok) {
      return fail(400, {
        action: 'request',
        code: 'validation_failed',
        detail: null,
        values: parsed.values,
        errors: localizeErrors(parsed.errors, locals.locale),
      });
    }
    const outcome = await post<{ order: { id: string } } | { id: string }>(locals.api, '/v1/orders', {}, parsed.body);
    if (!outcome.ok) {
      return refused('request', outcome, { values: parsed.values, errors: requestFieldErrors(outcome.problem) });
    }
    const d = outcome.data;
    const id = 'order' in d ? d.order.id : d.id;
    redirect(303, `/orders/${id}?flash=requested`);
  },
};
