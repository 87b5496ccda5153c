import { fail, redirect } from '@sveltejs/kit';
import { refusedMoney, requireFinance, send } from '$lib/finance/finance.server';
import { chosenMonth, isMonth, monthOf, statementMonths } from '$lib/statements/months';
import { readStatement, storedStatements } from '$lib/statements/statements.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * 对账单: the lab's months (the running one provisional, past ones stored once built) and one
 * month's statement on the page, with its PDF and workbook to download.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const now = new Date();
  const offered = async () => statementMonths(now, (await storedStatements(locals.api, lab.orgId)) ?? []);
  let months = await offered();
  const month = chosenMonth(url.searchParams.get('month'), months, now);
  const answer = await readStatement(locals.api, { labId: lab.orgId }, month);
  // A past month is built (and stored) when first opened: the list then shows it built.
  if (answer.ok && months.find((m) => m.month === month)?.state === 'unbuilt') months = await offered();
  return {
    months,
    month,
    running: monthOf(now),
    statement: answer.ok ? answer.statement : null,
    code: answer.ok ? null : answer.code,
    flash: url.searchParams.get('flash'),
  };
};

export const actions: Actions = {
  /** A lab manager rebuilds a past month (after a late correction); the same data gives the same files. */
  rebuild: async ({ locals, url, request }) => {
    const lab = requireFinance(locals, url);
    const month = String((await request.formData()).get('month') ?? '');
    if (!isMonth(month)) return fail(400, { action: 'rebuild', code: 'invalid_month', detail: null });
    const outcome = await send(locals.api, 'POST', '/v1/labs/{labId}/statements/{month}/build', {
      labId: lab.orgId,
      month,
    });
    if (!outcome.ok) return refusedMoney('rebuild', outcome);
    redirect(303, `${url.pathname}?lab=${encodeURIComponent(lab.orgId)}&month=${month}&flash=rebuilt`);
  },
};
