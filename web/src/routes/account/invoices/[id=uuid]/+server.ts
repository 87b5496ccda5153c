import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** The card processor's return address names /account/invoices/{id}; the invoice lives at /invoices/{id}. */
export const GET: RequestHandler = ({ params, url }) => {
  redirect(307, `/invoices/${params.id}${url.search}`);
};
