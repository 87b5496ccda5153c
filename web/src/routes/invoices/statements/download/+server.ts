import { error } from '@sveltejs/kit';
import { requireSignedIn } from '$lib/server/actions';
import { UUID } from '$lib/finance/forms';
import { isMonth } from '$lib/statements/months';
import { isFileFormat, proxyStatementFile } from '$lib/statements/statements.server';
import type { RequestHandler } from './$types';

/**
 * A customer's statement with a lab as PDF or workbook (`?org=&lab=&month=&format=`), streamed on
 * with the session; the API says whether the person belongs to the organisation.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
  requireSignedIn(locals, url);
  const org = url.searchParams.get('org') ?? '';
  const lab = url.searchParams.get('lab') ?? '';
  const month = url.searchParams.get('month');
  const format = url.searchParams.get('format');
  if (!UUID.test(org) || !UUID.test(lab) || !isMonth(month) || !isFileFormat(format)) {
    error(404, { message: 'No such statement', code: 'not_found' });
  }
  return proxyStatementFile(locals.api, { customerOrgId: org, labId: lab }, month, format);
};
