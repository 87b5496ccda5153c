import { need } from '$lib/server/api';
import { requireLabMember } from '$lib/lab-console/console.server';
import { done, formInvalid, orderRefusal } from '$lib/order-console/orders.server';
import { parseOrderSettings, parseSignatory, SETTINGS_FIELDS } from '$lib/order-console/forms';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const path = { params: { path: { id: lab.orgId } } };
  const [settings, signatories] = await Promise.all([
    need(locals.api.GET('/v1/labs/{id}/order-settings', path)),
    need(locals.api.GET('/v1/labs/{id}/signatories', path)),
  ]);
  return {
    lab,
    // Order settings and signatories are the lab manager's to change; everyone else reads them.
    canEdit: lab.role === 'manager',
    saved: settings.saved,
    values: {
      reportPrefix: settings.reportPrefix,
      objectionDays: String(settings.objectionDays),
      expediteH72Pct: String(settings.expediteH72Pct),
      expediteH24Pct: String(settings.expediteH24Pct),
      expediteH8Pct: String(settings.expediteH8Pct),
      quoteValidityDays: String(settings.quoteValidityDays),
      autoQuoteFixedPrice: settings.autoQuoteFixedPrice ? 'on' : '',
    } as Record<string, string>,
    signatories: signatories.items,
  };
};

export const actions: Actions = {
  save: async ({ locals, url, request }) => {
    const lab = requireLabMember(locals, url);
    const { values, fieldErrors, body } = parseOrderSettings(await request.formData());
    if (!body) return formInvalid('save', values, fieldErrors);
    const { data, error, response } = await locals.api.PUT('/v1/labs/{id}/order-settings', {
      params: { path: { id: lab.orgId } },
      body,
    });
    if (!data) return orderRefusal('save', error, response.status, { fields: SETTINGS_FIELDS, values });
    return done('save');
  },
  addSignatory: async ({ locals, url, request }) => {
    const lab = requireLabMember(locals, url);
    const { values, fieldErrors, body } = parseSignatory(await request.formData());
    if (!body) return formInvalid('addSignatory', values, fieldErrors);
    const { data, error, response } = await locals.api.POST('/v1/labs/{id}/signatories', {
      params: { path: { id: lab.orgId } },
      body,
    });
    if (!data) {
      return orderRefusal('addSignatory', error, response.status, { fields: ['email', 'scopeZh'], values });
    }
    return done('addSignatory');
  },
  removeSignatory: async ({ locals, url, request }) => {
    const lab = requireLabMember(locals, url);
    const userId = String((await request.formData()).get('userId') ?? '');
    if (!UUID.test(userId)) return formInvalid('removeSignatory', {}, {}, userId);
    const { error, response } = await locals.api.DELETE('/v1/labs/{id}/signatories/{userId}', {
      params: { path: { id: lab.orgId, userId } },
    });
    if (!response.ok) return orderRefusal('removeSignatory', error, response.status, { target: userId });
    return done('removeSignatory', userId);
  },
};
