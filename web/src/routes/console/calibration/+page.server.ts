import { fail, redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { labRights, requireLabMember } from '$lib/lab-console/console.server';
import { CALIBRATION_FIELDS, labCustomers, type CalibrationFormValues } from '$lib/lab-console/calibration.server';
import { formRefused, formText } from '$lib/server/problem';
import type { DueStatus } from '$lib/calibration/calibration';
import type { FieldErrors } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

const STATUSES = ['overdue', 'due_soon', 'ok'] as const satisfies readonly DueStatus[];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const rights = labRights(lab);
  const asked = url.searchParams.get('status');
  const status = STATUSES.find((s) => s === asked) ?? null;
  const serial = (url.searchParams.get('serial') ?? '').trim().slice(0, 100);
  const history = url.searchParams.get('history') === '1';
  const cursor = url.searchParams.get('cursor');
  const [page, customers] = await Promise.all([
    need(
      locals.api.GET('/v1/labs/{id}/calibration-records', {
        params: {
          path: { id: lab.orgId },
          query: {
            limit: 50,
            ...(status ? { status } : {}),
            ...(serial ? { serialNumber: serial } : {}),
            ...(history ? { history: true } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
    // Only managers and staff record certificates; the others need no customer list.
    rights.settings ? labCustomers(locals.api, lab.orgId) : Promise.resolve([]),
  ]);
  return {
    lab,
    canRecord: rights.settings,
    customers,
    records: page.items,
    counts: page.counts,
    nextCursor: page.nextCursor,
    onFirstPage: !cursor,
    filter: { status, serial, history },
    recorded: url.searchParams.get('recorded'),
  };
};

export const actions: Actions = {
  record: async ({ request, locals, url }) => {
    const lab = requireLabMember(locals, url);
    const form = await request.formData();
    const values = Object.fromEntries(CALIBRATION_FIELDS.map((f) => [f, formText(form, f)])) as CalibrationFormValues;
    const fieldErrors: FieldErrors = {};
    for (const f of ['customerOrgId', 'instrumentName', 'serialNumber', 'calibratedOn', 'nextDueOn'] as const) {
      if (!values[f]) fieldErrors[f] = { code: 'required', message: 'Required' };
    }
    for (const f of ['calibratedOn', 'nextDueOn'] as const) {
      if (values[f] && !DATE.test(values[f])) fieldErrors[f] = { code: 'invalid_format', message: 'YYYY-MM-DD' };
    }
    if (Object.keys(fieldErrors).length > 0) return fail(400, { values, fieldErrors, code: null });
    const { data, error, response } = await locals.api.POST('/v1/labs/{id}/calibration-records', {
      params: { path: { id: lab.orgId } },
      body: {
        customerOrgId: values.customerOrgId,
        instrumentName: values.instrumentName,
        model: values.model,
        serialNumber: values.serialNumber,
        measuringRange: values.measuringRange,
        accuracyClass: values.accuracyClass,
        method: values.method === 'verification' ? 'verification' : 'calibration',
        calibratedOn: values.calibratedOn,
        nextDueOn: values.nextDueOn,
      },
    });
    if (!data) return formRefused(values, error, response.status, CALIBRATION_FIELDS);
    redirect(303, `/console/calibration?lab=${lab.orgId}&recorded=${data.id}`);
  },
};
