import { fail, redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { labContact } from '$lib/catalogue/catalogue.server';
import { localizeErrors, orderingOrgs, post, refused } from '$lib/orders/orders.server';
import { fieldErrorsFromProblem } from '$lib/server/problem';
import { parseRequestForm, REQUEST_FIELDS, requestShape } from '$lib/orders/request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const service = await need(locals.api.GET('/v1/services/{id}', { params: { path: { id: params.id } } }));
  const user = locals.user;
  const [lab, ratings] = await Promise.all([
    labContact(locals.api, service.lab.id),
    locals.api.GET('/v1/labs/{id}/ratings', { params: { path: { id: service.lab.id }, query: { limit: 5 } } }),
  ]);
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
    },
  };
};

export const actions: Actions = {
  request: async ({ request, locals, params, url }) => {
    if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname)}`);
    const service = await need(locals.api.GET('/v1/services/{id}', { params: { path: { id: params.id } } }));
    const orgs = orderingOrgs(locals.user);
    const form = await request.formData();
    const parsed = parseRequestForm(
      form,
      service,
      orgs.map((o) => o.orgId),
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
      const { fieldErrors } = fieldErrorsFromProblem(outcome.problem, REQUEST_FIELDS);
      return refused('request', outcome, { values: parsed.values, errors: fieldErrors });
    }
    const d = outcome.data;
    const id = 'order' in d ? d.order.id : d.id;
    redirect(303, `/orders/${id}?flash=requested`);
  },
};
