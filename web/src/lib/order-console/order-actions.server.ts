import { error, redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { UUID } from '$lib/server/actions';
import { problemCode, requireLabMember } from '$lib/lab-console/console.server';
import { done, formInvalid, orderRefusal } from '$lib/order-console/orders.server';
import { parseReasonText } from '$lib/order-console/forms';
import { parseReportForm } from '$lib/order-console/report-form';
import type { OrderDetail } from '$lib/order-console/types';

/** The order as the lab sees it, and the member of that lab looking at it (customers go to their own page). */
export async function labOrder(locals: App.Locals, url: URL, id: string) {
  const detail = await need(locals.api.GET('/v1/orders/{id}', { params: { path: { id } } }));
  if (detail.viewerSide === 'customer') redirect(303, `/orders/${id}`);
  if (detail.viewerSide !== 'lab') error(403, { message: 'Lab members only', code: 'not_lab_member' });
  const lab = requireLabMember(locals, url, detail.order.labId);

  return { detail, lab };
}

export type OrderActionEvent = { locals: App.Locals; url: URL; params: { id: string }; request: Request };

/** Every action reloads the order first: the lab's membership is checked against the order's own lab. */
export async function withOrder(ctx: OrderActionEvent) {
  const { detail, lab } = await labOrder(ctx.locals, ctx.url, ctx.params.id);
  const form = await ctx.request.formData();
  return { detail, lab, form, api: ctx.locals.api, id: detail.order.id };
}

/** The order's sample the form names, or null when it names none of them. */
export function sampleOf(detail: OrderDetail, form: FormData) {
  const sampleId = String(form.get('sampleId') ?? '');
  return detail.samples.find((s) => s.id === sampleId) ?? null;
}

function reportOf(form: FormData): string | null {
  const id = String(form.get('reportId') ?? '');
  return UUID.test(id) ? id : null;
}

type ApiAnswer = Promise<{ data?: unknown; error?: unknown; response: Response }>;
type Refusal = { fields?: readonly string[]; values?: Record<string, string>; target?: string };

/** One API call of an order form: done (on its target) when it went through, the refusal beside the form otherwise. */
export async function answer(action: string, call: ApiAnswer, refusal: Refusal = {}) {
  const { data, error: problem, response } = await call;
  if (!data) return orderRefusal(action, problem, response.status, refusal);
  return done(action, refusal.target ?? null);
}

const RESULT_FIELDS = ['parameterZh', 'result', 'conclusionZh', 'conclusionEn', 'testerId'];

/** Saves the working report's results (and with "save and submit", sends the draft to review). */
export async function saveReport(ctx: OrderActionEvent) {
  const { form, api } = await withOrder(ctx);
  const reportId = reportOf(form);
  if (!reportId) return formInvalid('saveReport', {}, {});
  const parsed = parseReportForm(form);
  const testerId = String(form.get('testerId') ?? '');
  parsed.values.testerId = testerId;
  if (form.get('addRow')) {
    return formInvalid('saveReport', { ...parsed.values, rows: String(parsed.rows + 1) }, {}, reportId);
  }
  if (!parsed.body) return formInvalid('saveReport', parsed.values, parsed.fieldErrors, reportId);
  const {
    data,
    error: problem,
    response,
  } = await api.PATCH('/v1/reports/{id}', {
    params: { path: { id: reportId } },
    body: { ...parsed.body, ...(UUID.test(testerId) ? { testerId } : {}) },
  });
  if (!data) {
    return orderRefusal('saveReport', problem, response.status, {
      fields: RESULT_FIELDS,
      values: parsed.values,
      target: reportId,
    });
  }
  // "Save and submit" submits the saved draft in the same step.
  if (form.get('then') === 'submit') {
    const submitted = await api.POST('/v1/reports/{id}/submit', { params: { path: { id: reportId } } });
    if (!submitted.data) {
      // The save went through: answer without failing, so the page reloads the saved draft and
      // shows why it could not go to review.
      return {
        action: 'submitReport',
        target: reportId,
        code: problemCode(submitted.error, submitted.response.status),
        values: {} as Record<string, string>,
        fieldErrors: {},
      };
    }
    return done('submitReport', reportId);
  }
  return done('saveReport', reportId);
}

/** The signatory's review: approve, or return with a comment. */
export async function reviewReport(ctx: OrderActionEvent) {
  const { form, api } = await withOrder(ctx);
  const reportId = reportOf(form);
  if (!reportId) return formInvalid('review', {}, {});
  const decision = form.get('decision') === 'return' ? 'return' : 'approve';
  const comment = String(form.get('comment') ?? '').trim();
  if (decision === 'return' && comment.length < 2) {
    return formInvalid('review', { comment }, { comment: { code: 'required', message: '' } }, reportId);
  }
  const call = api.POST('/v1/reports/{id}/review', {
    params: { path: { id: reportId } },
    body: { decision, ...(comment ? { comment } : {}) },
  });
  return answer('review', call, { fields: ['comment'], values: { comment }, target: reportId });
}

export async function issueReport(ctx: OrderActionEvent) {
  const { form, api } = await withOrder(ctx);
  const reportId = reportOf(form);
  if (!reportId) return formInvalid('issue', {}, {});
  return answer('issue', api.POST('/v1/reports/{id}/issue', { params: { path: { id: reportId } } }), {
    target: reportId,
  });
}

/** Replacing or revoking an issued report, each with its reason. */
export async function reportReason(ctx: OrderActionEvent, verb: 'replace' | 'revoke') {
  const { form, api } = await withOrder(ctx);
  const reportId = reportOf(form);
  if (!reportId) return formInvalid(verb, {}, {});
  const parsed = parseReasonText(form);
  if (parsed.body === null) return formInvalid(verb, parsed.values, parsed.fieldErrors, reportId);
  const path = verb === 'replace' ? '/v1/reports/{id}/replace' : '/v1/reports/{id}/revoke';
  const call = api.POST(path, { params: { path: { id: reportId } }, body: { reason: parsed.body } });
  return answer(verb, call, { fields: ['reason'], values: parsed.values, target: reportId });
}
