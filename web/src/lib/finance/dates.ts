import { localDateOf } from '$lib/time';
import { MONEY_ZONE } from './forms';

/** The China date an invoice was issued on (an instant in the API, a date on paper). */
export function issuedDate(issuedAt: string): string {
  return localDateOf(new Date(issuedAt), MONEY_ZONE);
}
