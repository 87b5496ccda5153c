import { formatInstant } from '$lib/time';

/** Orders run on the lab's clock in China, whoever reads them. */
export const ORDER_ZONE = 'Asia/Shanghai';

/** An order's instant as the page shows it (date and time on China time). */
export function orderTime(iso: string, locale: string, style: 'datetime' | 'time' = 'datetime'): string {
  return formatInstant(iso, ORDER_ZONE, locale, style);
}

/** What an action of this page answers when it refuses (the panels read `action` and `code`). */
export type OrderActionForm<Extra = object> =
  ({ action?: string; code?: string | null; detail?: string | null } & Extra) | null | undefined;

/** The refusal of `action`, or null when the last form was another or went through. */
export function problemOf<F extends OrderActionForm>(form: F, action: string): NonNullable<F> | null {
  return form && form.action === action && form.code ? (form as NonNullable<F>) : null;
}
