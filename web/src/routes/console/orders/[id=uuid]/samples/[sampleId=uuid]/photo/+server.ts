import { proxyApiFile } from '$lib/order-console/orders.server';
import type { RequestHandler } from './$types';

/** A sample's arrival photo, fetched with the caller's token (the customer and the lab only). */
export const GET: RequestHandler = ({ locals, cookies, params }) =>
  proxyApiFile(locals, cookies, `/v1/orders/${params.id}/samples/${params.sampleId}/photo`);
