/**
 * Typed domain errors with a stable `code`. The one error handler (plugins/errors.ts) turns them
 * into application/problem+json (RFC 9457). Services throw these; they never build HTTP replies.
 */
export interface FieldError {
  /** JSON pointer into the request, e.g. "/organisation/creditCode". */
  path: string;
  code: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, errors?: FieldError[]) =>
  new AppError(400, code, message, errors);
export const validationFailed = (errors: FieldError[]) =>
  new AppError(400, 'validation_failed', 'The request has invalid fields.', errors);
export const unauthenticated = (message = 'Sign in to continue.') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError(403, 'forbidden', message);
/** Also used for things that exist but belong to another organisation, so they are not revealed. */
export const notFound = (what = 'resource') => new AppError(404, 'not_found', `The ${what} was not found.`);
export const conflict = (code: string, message: string, errors?: FieldError[]) =>
  new AppError(409, code, message, errors);
export const unprocessable = (code: string, message: string, errors?: FieldError[]) =>
  new AppError(422, code, message, errors);
