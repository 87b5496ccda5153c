/**
 * Typed domain errors with a stable `code`. The one error handler (plugins/errors.ts) turns them
 * into application/problem+json (RFC 9457). Services throw these; they never build HTTP replies.
 */

/**
 * Every code the API answers in a problem: a problem's own `code` and the `code` of each of its
 * field `errors`. One vocabulary for both, because many codes are used at both levels (a service
 * answers its first field error's code as the problem's code: `invalid_span`, `in_the_past` …).
 * The OpenAPI Problem schema lists exactly these (lib/schema.ts), so the web's generated types carry
 * them; the web and the tests name a code with type checking. Add a code here before answering it.
 */
export const PROBLEM_CODES = [
  // The HTTP layer and the error handler (plugins/errors.ts, lib/schema.ts).
  'validation_failed',
  'malformed_body',
  'bad_request',
  'unsupported_media_type',
  'payload_too_large',
  'unauthenticated',
  'forbidden',
  'not_found',
  'rate_limited',
  'amount_too_large',
  'internal_error',
  'invalid_cursor',
  'idempotency_mismatch',
  'illegal_transition',
  // Field errors from schema validation (Ajv keyword → code).
  'required',
  'unknown_field',
  'invalid_type',
  'invalid_format',
  'too_short',
  'too_long',
  'too_small',
  'too_large',
  'too_few',
  'too_many',
  'duplicate',
  'invalid_value',
  'invalid',
  'empty',
  // Accounts, organisations, tokens, admission.
  'invalid_credentials',
  'email_taken',
  'credit_code_taken',
  'invalid_credit_code',
  'unknown_region',
  'unknown_person',
  'expiry_in_past',
  'invalid_expiry',
  'already_revoked',
  'not_admitted',
  'not_a_member',
  'lab_not_active',
  'own_lab',
  'application_incomplete',
  'notice_not_over',
  'notice_closed',
  // Lab members and invitations, the lab's qualifications (modules/labs).
  'last_manager',
  'already_member',
  'already_invited',
  'qualification_withdrawn',
  'qualification_number_taken',
  'qualification_ends_before_start',
  'qualification_too_long',
  'unknown_qualification',
  // Catalogue: instruments, services, qualifications.
  'instrument_retired',
  'service_retired',
  'unknown_instrument',
  'unknown_category',
  'unknown_site',
  'unknown_unit',
  'invalid_serial_number',
  'price_not_allowed',
  // Lab settings: opening hours, closures, booking policy.
  'invalid_opening_hours',
  'invalid_weekday',
  'invalid_time',
  'closes_before_opens',
  'overlapping_rows',
  'invalid_policy',
  'invalid_settings',
  'invalid_modes',
  'out_of_range',
  'max_below_min',
  'off_grid',
  'void_before_grace',
  'below_per_instrument',
  'invalid_span',
  // Bookings and availability.
  'slot_unavailable',
  'slot_available',
  'outside_opening_hours',
  'instrument_unavailable',
  'operator_unavailable',
  'no_hourly_rate',
  'hold_expired',
  'hold_limit_reached',
  'qualification_required',
  'quota_exceeded',
  'blacklisted',
  'already_waiting',
  'outside_check_in_window',
  'late_arrival_void',
  'not_in_series',
  'series_conflict',
  'invalid_rule',
  'series_too_long',
  'duration',
  'grid',
  'lead_time',
  'horizon',
  'mode_not_offered',
  'in_the_past',
  'not_a_customer',
  'unknown_customer',
  // Orders: request, quote, acceptance, work, objections, rating.
  'service_not_offered',
  'service_of_other_lab',
  'duplicate_service',
  'scope_item_not_valid',
  'no_lines',
  'kind_required',
  'line_unpriced',
  'line_removed',
  'unknown_line',
  'invalid_validity',
  'quote_expired',
  'quote_changed',
  'deadline_required',
  'sample_not_expected',
  // Sample custody (样品流转): a step the sample's state does not allow; leftovers kept until the objection window closes.
  'illegal_custody_step',
  'samples_not_due',
  'photo_required',
  'unsupported_file_type',
  'file_too_large',
  /** An image of more pixels than its use allows (a decompression bomb, a panorama). */
  'image_too_large',
  'objection_open',
  'objection_resolved',
  'objection_window_closed',
  'order_not_closed',
  'commission_form_missing',
  'already_rated',
  'report_prefix_taken',
  'conversation_closed',
  // Reports and calibration.
  'tester_required',
  'tester_not_member',
  'results_incomplete',
  'report_under_review',
  'report_exists',
  'line_already_reported',
  'replacement_exists',
  'report_revoked',
  'report_replaced',
  'reviewer_is_tester',
  'signatory_is_tester',
  'signatory_is_reviewer',
  'not_a_signatory',
  'comment_required',
  'pdf_not_ready',
  'not_a_calibration_order',
  'invalid_due_date',
  'calibrated_in_future',
  // Events.
  'invalid_session',
  'session_in_past',
  'session_started',
  'last_session',
  'session_not_started',
  'seats_below_taken',
  'event_not_open',
  'no_upcoming_session',
  'registration_closed',
  'already_registered',
  'not_registered',
  // Assistance and service officers.
  'enterprise_required',
  'not_your_enterprise',
  'expert_required',
  'unknown_expert',
  'invalid_counts',
  'visit_in_future',
  'visit_before_request',
  'already_replied',
  'not_an_officer',
  // Money: invoices, payments, bank statements, ledger.
  'invalid_range',
  'payment_required',
  'invoice_not_open',
  'invoice_void',
  'order_awaits_invoice',
  'voucher_claim_paid',
  'nothing_to_credit',
  'unreadable_statement',
  'statement_columns_missing',
  'line_already_resolved',
  'amount_exceeds_due',
  'payee_account_missing',
  // Fapiao (发票).
  'invoice_not_paid',
  'fapiao_already_requested',
  'fapiao_title_missing',
  'fapiao_title_incomplete',
  'issued_on_out_of_range',
  'month_not_over',
  'discrepancy_note_required',
  // Card payments (Stripe Connect).
  'card_not_offered',
  'lab_cannot_take_cards',
  'processor_unavailable',
  'processor_refused',
  'webhook_signature_invalid',
  'refund_exceeds_paid',
  'refund_pending',
  // Innovation vouchers (modules/vouchers).
  'voucher_issuer_level',
  'voucher_programme_closed',
  'voucher_region_mismatch',
  'voucher_over_cap',
  'voucher_application_exists',
  'voucher_application_not_approved',
  'voucher_invoice_not_open',
  'voucher_lab_not_admitted',
  'voucher_kind_ineligible',
  'voucher_quota_exhausted',
  'voucher_not_used',
  'voucher_self_paid_missing',
  'voucher_work_not_done',
  'voucher_claim_exists',
  'voucher_validity_past',
  'voucher_received_in_future',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface FieldError {
  /** JSON pointer into the request, e.g. "/organisation/creditCode". */
  path: string;
  code: ProblemCode;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: ProblemCode, message: string, errors?: FieldError[]) =>
  new AppError(400, code, message, errors);
export const validationFailed = (errors: FieldError[]) =>
  new AppError(400, 'validation_failed', 'The request has invalid fields.', errors);
export const unauthenticated = (message = 'Sign in to continue.') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError(403, 'forbidden', message);
/** Also used for things that exist but belong to another organisation, so they are not revealed. */
export const notFound = (what = 'resource') => new AppError(404, 'not_found', `The ${what} was not found.`);
export const conflict = (code: ProblemCode, message: string, errors?: FieldError[]) =>
  new AppError(409, code, message, errors);
export const unprocessable = (code: ProblemCode, message: string, errors?: FieldError[]) =>
  new AppError(422, code, message, errors);
