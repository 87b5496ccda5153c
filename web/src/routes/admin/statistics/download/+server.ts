import { error } from '@sveltejs/kit';
import { requirePlatformAdmin } from '$lib/finance/finance.server';
import { periodOf, proxyStatisticsFile } from '$lib/statistics/statistics.server';
import type { RequestHandler } from './$types';

/** The statistics as a workbook or CSV (`?region=320000&from=…&to=…&format=xlsx|csv`), with the session. */
export const GET: RequestHandler = async ({ locals, url }) => {
  const admin = requirePlatformAdmin(locals, url);
  const format = url.searchParams.get('format');
  if (format !== 'xlsx' && format !== 'csv') error(404, { message: 'No such file', code: 'not_found' });
  const region = url.searchParams.get('region') ?? admin.regionCode;
  if (!/^[0-9]{6}$/.test(region)) error(404, { message: 'No such region', code: 'not_found' });
  const { adjusted: _adjusted, ...period } = periodOf(url.searchParams, new Date());
  return proxyStatisticsFile(locals.api, { region, ...period }, format);
};
