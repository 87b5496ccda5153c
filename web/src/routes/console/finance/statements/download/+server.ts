import { error } from '@sveltejs/kit';
import { requireFinance } from '$lib/finance/finance.server';
import { isMonth } from '$lib/statements/months';
import { isFileFormat, proxyStatementFile } from '$lib/statements/statements.server';
import type { RequestHandler } from './$types';

/** A lab statement's PDF or workbook (`?month=2026-10&format=pdf|xlsx`), streamed on with the session. */
export const GET: RequestHandler = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const month = url.searchParams.get('month');
  const format = url.searchParams.get('format');
  if (!isMonth(month) || !isFileFormat(format)) error(404, { message: 'No such statement', code: 'not_found' });
  return proxyStatementFile(locals.api, { labId: lab.orgId }, month, format);
};
