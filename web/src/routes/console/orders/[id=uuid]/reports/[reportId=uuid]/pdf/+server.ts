import { proxyApiFile } from '$lib/order-console/orders.server';
import type { RequestHandler } from './$types';

/** The issued report's PDF, fetched with the caller's token (the API lets only the two parties read it). */
export const GET: RequestHandler = ({ locals, cookies, params }) =>
  proxyApiFile(locals, cookies, `/v1/reports/${params.reportId}/pdf`);
