import { fail } from '@sveltejs/kit';
import { problemCode, requirePlatformAdmin } from '$lib/finance/finance.server';
import type { Actions, PageServerLoad } from './$types';

const yearOf = (url: URL) => {
  const y = Number(url.searchParams.get('year'));
  // Without a year: this year in China.
  return Number.isInteger(y) && y >= 2000 && y <= 2100
    ? y
    : Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
};
const dates = (text: string) =>
  text
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** 节假日: a year's national calendar as in force (entered, the package's, or statutory only), and its entry form. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  const year = yearOf(url);
  const {
    data,
    error: problem,
    response,
  } = await locals.api.GET('/v1/admin/holidays', { params: { query: { year } } });
  return { year, calendar: data ?? null, code: data ? null : problemCode(problem, response.status) };
};

export const actions: Actions = {
  /** Enter or correct the year (province platform admins; the API refuses anyone else). */
  save: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const year = yearOf(url);
    const form = await request.formData();
    const holidays = dates(String(form.get('holidays') ?? ''));
    const makeupWorkdays = dates(String(form.get('makeupWorkdays') ?? ''));
    const note = String(form.get('note') ?? '').slice(0, 500);
    const values = { holidays: holidays.join('\n'), makeupWorkdays: makeupWorkdays.join('\n'), note };
    if (![...holidays, ...makeupWorkdays].every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))) {
      return fail(400, { code: 'validation_failed', values });
    }
    const {
      data,
      error: problem,
      response,
    } = await locals.api.PUT('/v1/admin/holidays/{year}', {
      params: { path: { year } },
      body: { holidays, makeupWorkdays, note },
    });
    if (!data)
      return fail(response.status >= 500 ? 502 : response.status, {
        code: problemCode(problem, response.status),
        values,
      });
    return { saved: true };
  },
};
