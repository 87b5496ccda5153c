import { need } from '$lib/server/api';
import { labInstruments, labSites } from '$lib/lab-console/console.server';
import { done, formInvalid } from '$lib/order-console/orders.server';
import {
  answer,
  issueReport,
  labOrder,
  reportReason,
  reviewReport,
  sampleOf,
  saveReport,
  withOrder,
} from '$lib/order-console/order-actions.server';
import { loadMessages, loadRating, postMessage } from '$lib/orders/orders.server';
import { loadCustody, recordCustody } from '$lib/custody/custody.server';
import { attachCommissionScan, loadCommissionForm } from '$lib/commission-forms/commission-form.server';
import { addDays, todayIn, toLocalDateTime } from '$lib/time';
import { fenToYuanText } from '$lib/money';
import {
  allowedActions,
  isLabRole,
  isSubmittedDraft,
  signOffBlockers,
  workingReport,
  type ConsoleAction,
} from '$lib/order-console/actions';
import { parseReasonText, parseReceive, parseSchedule } from '$lib/order-console/forms';
import { isOrderStatus, isOverdue } from '$lib/order-console/queue';
import { parseQuoteForm, quoteField } from '$lib/order-console/quote-form';
import { reportValues } from '$lib/order-console/report-form';
import { scopeChoice } from '$lib/order-console/scope';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const { detail, lab } = await labOrder(locals, url, params.id);
  const { order } = detail;
  const role = isLabRole(lab.role) ? lab.role : 'operator';
  const me = locals.user!;
  const [reportList, signatories, members, settings, site, messages, rating, custody, commissionForm] =
    await Promise.all([
      need(locals.api.GET('/v1/orders/{id}/reports', { params: { path: { id: order.id } } })),
      need(locals.api.GET('/v1/labs/{id}/signatories', { params: { path: { id: lab.orgId } } })),
      need(locals.api.GET('/v1/labs/{id}/members', { params: { path: { id: lab.orgId } } })),
      need(locals.api.GET('/v1/labs/{id}/order-settings', { params: { path: { id: lab.orgId } } })),
      labSites(locals.api, lab.orgId),
      loadMessages(locals.api, order.id, url.searchParams.get('messages')),
      // Only a closed order is rated; the lab answers the rating here or on 评价.
      order.status === 'closed' ? loadRating(locals.api, order.id) : Promise.resolve(null),
      order.needsSamples ? loadCustody(locals.api, order.id) : Promise.resolve(null),
      loadCommissionForm(locals.api, order),
    ]);
  // An order may have several reports: the one worked on is chosen with ?report=.
  const chosen = url.searchParams.get('report');
  const reports = reportList.items.map((r) => ({
    ...r,
    submitted: r.status === 'draft' && isSubmittedDraft(detail.timeline, r.id),
  }));
  const status = isOrderStatus(order.status) ? order.status : 'cancelled';
  const actions = allowedActions({
    status,
    role,
    needsSamples: order.needsSamples,
    expectedSamples: detail.samples.filter((s) => s.status === 'expected').length,
    reports,
    openObjections: detail.objections.filter((o) => o.status === 'open').length,
    lineIds: detail.lines.filter((l) => !l.removed).map((l) => l.id),
    chosen,
  });
  const [instruments, services, scope] = await Promise.all([
    actions.has('schedule') ? labInstruments(locals.api, lab.orgId) : Promise.resolve([]),
    actions.has('quote')
      ? need(locals.api.GET('/v1/services', { params: { query: { lab: lab.orgId, limit: 100 } } })).then((p) =>
          p.items.map((s) => ({ id: s.id, nameZh: s.nameZh, nameEn: s.nameEn, kind: s.kind })),
        )
      : Promise.resolve([]),
    // The lab's valid scope, for placing each line under one of its items.
    actions.has('quote')
      ? locals.api
          .GET('/v1/orders/{id}/scope-matches', { params: { path: { id: order.id } } })
          .then((r) => r.data ?? null)
      : Promise.resolve(null),
  ]);
  const today = todayIn(site.timeZone, new Date());
  const working = workingReport(reports, chosen);
  const activeSignatories = signatories.items.filter((s) => s.active);
  const liveLines = detail.lines.filter((l) => !l.removed);
  return {
    lab,
    role,
    messages,
    rating,
    custody,
    commissionForm,
    me: { id: me.id, name: me.displayName },
    actions: [...actions] as ConsoleAction[],
    timeZone: site.timeZone,
    today,
    // Judged by the server's clock, as the queue's badge is, not by the browser's, which may be set wrong.
    overdue: isOverdue(detail.order, new Date()),
    detail,
    reports,
    working,
    blockers: working
      ? signOffBlockers(
          working,
          me.id,
          activeSignatories.map((s) => s.user.id),
        )
      : null,
    signatories: activeSignatories.map((s) => ({ id: s.user.id, name: s.user.name })),
    // Anyone in the lab may be the tester (operators above all); the signatory must be someone else.
    testers: members.items.filter((m) => m.id !== me.id).map((m) => ({ id: m.id, name: m.name })),
    // The terms shown with the quote (copied onto it), not the lab's settings today.
    expeditePct: {
      h72: detail.labTerms.expediteH72Pct,
      h24: detail.labTerms.expediteH24Pct,
      h8: detail.labTerms.expediteH8Pct,
    },
    instruments: instruments
      .filter((i) => i.status === 'active')
      .map((i) => ({ id: i.id, nameZh: i.nameZh, nameEn: i.nameEn, timeZone: i.timeZone })),
    services,
    scope,
    quoteValues: {
      ...Object.fromEntries(liveLines.map((l) => [quoteField.price(l.id), fenToYuanText(l.unitPrice?.amount)])),
      ...Object.fromEntries(liveLines.map((l) => [quoteField.quantity(l.id), String(l.quantity)])),
      ...(scope
        ? Object.fromEntries(liveLines.map((l) => [quoteField.scope(l.id), scopeChoice(scope, l.id).initial]))
        : {}),
      validUntil: order.quoteValidUntil ?? addDays(today, settings.quoteValidityDays),
      notes: order.quoteNotes,
      rows: '1',
    } as Record<string, string>,
    reportValues: working ? reportValues(working.results, working.conclusionZh, working.conclusionEn) : null,
    scheduleDefaults: {
      start: toLocalDateTime(new Date(Date.now() + 3_600_000), site.timeZone).slice(0, 14) + '00',
    },
  };
};

export const actions: Actions = {
  commissionScan: attachCommissionScan,
  quote: async (ctx) => {
    const { detail, form, api, id } = await withOrder(ctx);
    const site = await labSites(api, detail.order.labId);
    const services = await need(
      api.GET('/v1/services', { params: { query: { lab: detail.order.labId, limit: 100 } } }),
    );
    const parsed = parseQuoteForm(form, {
      lineIds: detail.lines.filter((l) => !l.removed).map((l) => l.id),
      services: Object.fromEntries(services.items.map((s) => [s.id, { nameZh: s.nameZh, kind: s.kind }])),
      today: todayIn(site.timeZone, new Date()),
    });
    if (form.get('addRow')) {
      // "Add another row" without JavaScript: the form comes back as typed, with one more empty row.
      const values = { ...parsed.values, [quoteField.rows]: String(Number(parsed.values[quoteField.rows] || 1) + 1) };
      return formInvalid('quote', values, {});
    }
    if (!parsed.body) return formInvalid('quote', parsed.values, parsed.fieldErrors);
    const call = api.POST('/v1/orders/{id}/quote', {
      params: { path: { id } },
      body: parsed.body,
    });
    return answer('quote', call, {
      fields: ['validUntil', 'notes'],
      values: parsed.values,
    });
  },

  receive: async (ctx) => {
    const { detail, form, api, id } = await withOrder(ctx);
    const sample = sampleOf(detail, form);
    if (!sample) return formInvalid('receive', {}, {}, null);
    const parsed = parseReceive(form);
    if (!parsed.body) return formInvalid('receive', parsed.values, parsed.fieldErrors, sample.id);
    const call = api.POST('/v1/orders/{id}/samples/{sampleId}/receive', {
      params: { path: { id, sampleId: sample.id } },
      body: parsed.body,
    });
    return answer('receive', call, {
      fields: ['conditionOnArrival', 'quantity', 'storageLocation'],
      values: parsed.values,
      target: sample.id,
    });
  },

  reject: async (ctx) => {
    const { detail, form, api, id } = await withOrder(ctx);
    const sample = sampleOf(detail, form);
    if (!sample) return formInvalid('reject', {}, {}, null);
    const parsed = parseReasonText(form);
    if (parsed.body === null) return formInvalid('reject', parsed.values, parsed.fieldErrors, sample.id);
    const call = api.POST('/v1/orders/{id}/samples/{sampleId}/reject', {
      params: { path: { id, sampleId: sample.id } },
      body: { reason: parsed.body },
    });
    return answer('reject', call, {
      fields: ['reason'],
      values: parsed.values,
      target: sample.id,
    });
  },

  photo: async (ctx) => {
    const { detail, form, api, id } = await withOrder(ctx);
    const sample = sampleOf(detail, form);
    if (!sample) return formInvalid('photo', {}, {}, null);
    const file = form.get('photo');
    if (!(file instanceof File) || file.size === 0) {
      return formInvalid('photo', {}, { photo: { code: 'required', message: '' } }, sample.id);
    }
    // The API takes the raw image as the body, typed by its Content-Type.
    const call = api.POST('/v1/orders/{id}/samples/{sampleId}/photo', {
      params: { path: { id, sampleId: sample.id } },
      body: (await file.arrayBuffer()) as never,
      bodySerializer: (body: unknown) => body as ArrayBuffer,
      headers: { 'content-type': file.type || 'application/octet-stream' },
    });
    return answer('photo', call, { target: sample.id });
  },

  custody: recordCustody,

  start: async (ctx) => {
    const { api, id } = await withOrder(ctx);
    return answer('start', api.POST('/v1/orders/{id}/start', { params: { path: { id } } }));
  },

  schedule: async (ctx) => {
    const { lab, form, api, id } = await withOrder(ctx);
    const instruments = await labInstruments(api, lab.orgId);
    const zones = Object.fromEntries(instruments.map((i) => [i.id, i.timeZone]));
    const parsed = parseSchedule(
      form,
      instruments.map((i) => i.id),
      (i) => zones[i] ?? 'Asia/Shanghai',
    );
    if (!parsed.body) return formInvalid('schedule', parsed.values, parsed.fieldErrors);
    const call = api.POST('/v1/orders/{id}/schedule', {
      params: { path: { id } },
      body: parsed.body,
    });
    return answer('schedule', call, {
      fields: ['instrumentId', 'start', 'end'],
      values: parsed.values,
    });
  },

  createReport: async (ctx) => {
    const { api, id, form } = await withOrder(ctx);
    const me = ctx.locals.user!;
    // The lines the new report covers (the boxes ticked); none ticked: every line not yet in a report.
    const lineIds = form.getAll('lineIds').map(String).filter(Boolean);
    const call = api.POST('/v1/orders/{id}/reports', {
      params: { path: { id } },
      body: { testerId: me.id, ...(lineIds.length > 0 ? { lineIds } : {}) },
    });
    return answer('createReport', call);
  },

  saveReport,
  review: reviewReport,
  issue: issueReport,

  replace: async (ctx) => reportReason(ctx, 'replace'),
  revoke: async (ctx) => reportReason(ctx, 'revoke'),

  deliver: async (ctx) => {
    const { api, id } = await withOrder(ctx);
    return answer('deliver', api.POST('/v1/orders/{id}/deliver', { params: { path: { id } } }));
  },

  cancel: async (ctx) => {
    const { form, api, id } = await withOrder(ctx);
    const parsed = parseReasonText(form);
    if (parsed.body === null) return formInvalid('cancel', parsed.values, parsed.fieldErrors);
    const call = api.POST('/v1/orders/{id}/cancel', {
      params: { path: { id } },
      body: { reason: parsed.body },
    });
    return answer('cancel', call, { fields: ['reason'], values: parsed.values });
  },

  // The conversation with the customer: W1's message form posts text or one file here.
  message: async (ctx) => {
    const { form, api, id } = await withOrder(ctx);
    const refusal = await postMessage(api, id, form);
    if (refusal) return refusal;
    return done('message');
  },

  reply: async (ctx) => {
    const { form, api, id } = await withOrder(ctx);
    const reply = String(form.get('reply') ?? '').trim();
    if (!reply) return formInvalid('reply', { reply }, { reply: { code: 'required', message: 'Required' } }, id);
    const call = api.POST('/v1/orders/{id}/rating/reply', { params: { path: { id } }, body: { reply } });
    return answer('reply', call, { fields: ['reply'], values: { reply }, target: id });
  },

  resolve: async (ctx) => {
    const { detail, form, api, id } = await withOrder(ctx);
    const objectionId = String(form.get('objectionId') ?? '');
    if (!detail.objections.some((o) => o.id === objectionId)) return formInvalid('resolve', {}, {});
    const outcome = form.get('outcome') === 'upheld' ? 'upheld' : 'dismissed';
    const parsed = parseReasonText(form, 'resolution');
    if (parsed.body === null) return formInvalid('resolve', parsed.values, parsed.fieldErrors, objectionId);
    const call = api.POST('/v1/orders/{id}/objections/{objectionId}/resolve', {
      params: { path: { id, objectionId } },
      body: { outcome, resolution: parsed.body },
    });
    return answer('resolve', call, {
      fields: ['resolution'],
      values: parsed.values,
      target: objectionId,
    });
  },
};
