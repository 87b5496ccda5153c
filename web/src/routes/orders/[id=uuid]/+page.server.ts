import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/booking/bookings.server';
import {
  expediteRates,
  loadMessages,
  loadOrder,
  loadRating,
  loadReports,
  localizeErrors,
  post,
  postMessage,
  refused,
} from '$lib/orders/orders.server';
import { fieldErrorsFromProblem } from '$lib/server/problem';
import { COMMISSION_FIELDS, commissionDefaults, parseCommissionForm } from '$lib/orders/commission';
import { chinaToday } from '$lib/calibration/calibration';
import { invoicesOfOrder } from '$lib/finance/finance.server';
import { loadCustody } from '$lib/custody/custody.server';
import { loadCommissionForm } from '$lib/commission-forms/commission-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  requireUser(locals, url);
  const detail = await loadOrder(locals.api, params.id);
  const o = detail.order;
  const [reports, messages, rating, rates, invoices, custody, commissionForm] = await Promise.all([
    detail.reports.length > 0 ? loadReports(locals.api, o.id) : Promise.resolve([]),
    loadMessages(locals.api, o.id, url.searchParams.get('messages')),
    ['closed', 'report_issued'].includes(o.status) ? loadRating(locals.api, o.id) : Promise.resolve(null),
    Promise.resolve(o.status === 'quoted' ? expediteRates(detail) : null),
    // The order's invoice(s), once it can have one (billed on acceptance).
    o.acceptedAt ? invoicesOfOrder(locals.api, { id: o.id, customerOrgId: o.customerOrgId }) : Promise.resolve(null),
    detail.samples.length > 0 ? loadCustody(locals.api, o.id) : Promise.resolve(null),
    loadCommissionForm(locals.api, o),
  ]);
  const defaults = commissionDefaults(detail.lines);
  if (!o.needsSamples) {
    defaults.sampleName = o.titleZh;
    defaults.quantity = '1';
    if (!defaults.testBasis) defaults.testBasis = o.titleZh;
  }
  return {
    ...detail,
    reports: reports.filter((r) => ['issued', 'replaced', 'revoked'].includes(r.status)),
    reportBriefs: detail.reports,
    messages,
    rating,
    rates,
    invoices,
    custody,
    commissionForm,
    defaults,
    now: new Date().toISOString(),
    flash: url.searchParams.get('flash'),
  };
};

const back = (id: string, flash: string) => redirect(303, `/orders/${id}?flash=${flash}`);

function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

export const actions: Actions = {
  accept: async ({ request, locals, params, url }) => {
    requireUser(locals, url);
    const form = await request.formData();
    const parsed = parseCommissionForm(form, chinaToday(new Date()));
    if (!parsed.ok) {
      return fail(400, {
        action: 'accept',
        code: 'validation_failed',
        detail: null,
        values: parsed.values,
        errors: localizeErrors(parsed.errors, locals.locale),
      });
    }
    if (!parsed.body.quotedAt) {
      // No quote instant (a page from before the quote): show the current quote before accepting it.
      return fail(409, { action: 'accept', code: 'quote_changed', detail: null, values: parsed.values, errors: {} });
    }
    const outcome = await post(locals.api, '/v1/orders/{id}/accept', { id: params.id }, parsed.body);
    if (!outcome.ok) {
      const { fieldErrors } = fieldErrorsFromProblem(outcome.problem, COMMISSION_FIELDS, {
        deadline_required: 'turnaround',
      });
      return refused('accept', outcome, { values: parsed.values, errors: fieldErrors });
    }
    back(params.id, 'accepted');
  },

  decline: async ({ request, locals, params, url }) => {
    requireUser(locals, url);
    const reason = text(await request.formData(), 'reason');
    const outcome = await post(locals.api, '/v1/orders/{id}/decline', { id: params.id }, reason ? { reason } : {});
    if (!outcome.ok) return refused('decline', outcome);
    back(params.id, 'declined');
  },

  cancel: async ({ request, locals, params, url }) => {
    requireUser(locals, url);
    const reason = text(await request.formData(), 'reason');
    if (reason.length < 2) return fail(400, { action: 'cancel', code: 'reason_required', detail: null });
    const outcome = await post(locals.api, '/v1/orders/{id}/cancel', { id: params.id }, { reason });
    if (!outcome.ok) return refused('cancel', outcome);
    back(params.id, 'cancelled');
  },

  object: async ({ request, locals, params, url }) => {
    requireUser(locals, url);
    const reason = text(await request.formData(), 'reason');
    if (reason.length < 2) return fail(400, { action: 'object', code: 'reason_required', detail: null });
    const outcome = await post(locals.api, '/v1/orders/{id}/objections', { id: params.id }, { reason });
    if (!outcome.ok) return refused('object', outcome, { reason });
    back(params.id, 'objected');
  },

  close: async ({ locals, params, url }) => {
    requireUser(locals, url);
    const outcome = await post(locals.api, '/v1/orders/{id}/close', { id: params.id });
    if (!outcome.ok) return refused('close', outcome);
    back(params.id, 'closed');
  },

  message: async ({ request, locals, params, url }) => {
    requireUser(locals, url);
    const refusal = await postMessage(locals.api, params.id, await request.formData());
    if (refusal) return refusal;
    redirect(303, `/orders/${params.id}?flash=messageSent#messages`);
  },

  rate: async ({ request, locals, params, url }) => {
    requireUser(locals, url);
    const form = await request.formData();
    const score = Number(text(form, 'score'));
    const comment = text(form, 'comment');
    if (!Number.isInteger(score) || score < 1 || score > 5) {
      return fail(400, { action: 'rate', code: 'score_required', detail: null, comment });
    }
    const outcome = await post(locals.api, '/v1/orders/{id}/rating', { id: params.id }, { score, comment });
    if (!outcome.ok) return refused('rate', outcome, { comment });
    back(params.id, 'rated');
  },
};
