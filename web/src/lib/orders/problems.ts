/**
 * Problem codes the order, report and conversation endpoints answer with, each explained to the
 * customer under `orders.problems.<code>`; any other code falls back to the API's own words.
 */
export const ORDER_PROBLEM_CODES = [
  'illegal_transition',
  'quote_expired',
  'quote_changed',
  'amount_too_large',
  'objection_window_closed',
  'objection_open',
  'objection_resolved',
  'deadline_required',
  'service_not_offered',
  'lab_not_active',
  'own_lab',
  'no_lines',
  'line_unpriced',
  'already_rated',
  'order_not_closed',
  'unsupported_media_type',
  'file_too_large',
  'not_enterprise_member',
  'forbidden',
  'not_found',
  'unauthorized',
  'validation_failed',
  'api_unavailable',
  'api_error',
] as const;

export function orderProblemKey(code: string | null | undefined): string | null {
  return code && (ORDER_PROBLEM_CODES as readonly string[]).includes(code) ? `orders.problems.${code}` : null;
}
