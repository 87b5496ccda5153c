import { commissionFile } from '$lib/commission-forms/download.server';
import type { RequestHandler } from './$types';

/** The printable commission form (委托单) of the order, as PDF. */
export const GET: RequestHandler = ({ locals, params }) => commissionFile(locals, params.id, 'pdf');
