import { commissionFile } from '$lib/commission-forms/download.server';
import type { RequestHandler } from './$types';

/** The scan of the commission form the customer signed and stamped. */
export const GET: RequestHandler = ({ locals, params }) => commissionFile(locals, params.id, 'scan');
