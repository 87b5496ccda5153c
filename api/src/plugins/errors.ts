import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError, type ProblemCode } from '../lib/errors.ts';
import { isOutOfRange } from '../lib/pg-errors.ts';
import {
  FieldError as FieldErrorSchema,
  PROBLEM_CONTENT_TYPE,
  ProblemCode as ProblemCodeSchema,
} from '../lib/schema.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface AjvLikeError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const KEYWORD_CODES: Record<string, ProblemCode> = {
  required: 'required',
  additionalProperties: 'unknown_field',
  type: 'invalid_type',
  format: 'invalid_format',
  pattern: 'invalid_format',
  minLength: 'too_short',
  maxLength: 'too_long',
  minimum: 'too_small',
  maximum: 'too_large',
  exclusiveMinimum: 'too_small',
  exclusiveMaximum: 'too_large',
  minItems: 'too_few',
  minProperties: 'too_few',
  maxProperties: 'too_many',
  uniqueItems: 'duplicate',
  maxItems: 'too_many',
  enum: 'invalid_value',
  const: 'invalid_value',
  anyOf: 'invalid_value',
};

/** Ajv errors → field errors with JSON-pointer paths into the part of the request that failed. */
export function fieldErrorsFromValidation(errors: AjvLikeError[], context: string | undefined): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    let path = e.instancePath;
    if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') {
      path += `/${e.params.missingProperty}`;
    } else if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
      path += `/${e.params.additionalProperty}`;
    }
    // Unions report one error per branch ("must be equal to constant" × n): keep the first per path.
    const code = Object.hasOwn(KEYWORD_CODES, e.keyword) ? KEYWORD_CODES[e.keyword]! : 'invalid';
    const key = `${path}|${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const where = context && context !== 'body' ? `${context}: ` : '';
    out.push({ path: path || '/', code, message: `${where}${e.message ?? 'is invalid'}` });
  }
  return out;
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: ProblemCode,
  detail: string,
  errors?: FieldError[],
  request?: FastifyRequest,
) {
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({
      type: `https://qihub.example/problems/${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      code,
      ...(errors && errors.length > 0 ? { errors } : {}),
      ...(request ? { instance: request.url, requestId: request.id } : {}),
    });
}

/** The one error handler: every failure leaves as application/problem+json with a stable code. */
export function registerErrorHandling(app: FastifyInstance): void {
  // The parts of the Problem schema (app.ts adds Problem itself), named in the OpenAPI document.
  app.addSchema(ProblemCodeSchema);
  app.addSchema(FieldErrorSchema);
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      return sendProblem(reply, error.status, error.code, error.message, error.errors, request);
    }
    const fe = error as FastifyError & { validationContext?: string };
    if (fe.validation) {
      const errors = fieldErrorsFromValidation(fe.validation as AjvLikeError[], fe.validationContext);
      return sendProblem(reply, 400, 'validation_failed', 'The request has invalid fields.', errors, request);
    }
    const status = fe.statusCode ?? 500;
    if (status === 429) {
      return sendProblem(reply, 429, 'rate_limited', 'Too many attempts; try again later.', undefined, request);
    }
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, wrong content type, body too large).
      const code: ProblemCode =
        fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'unsupported_media_type'
          : fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? 'payload_too_large'
            : fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
              ? 'malformed_body'
              : status === 400
                ? 'malformed_body'
                : 'bad_request';
      return sendProblem(reply, status, code, fe.message, undefined, request);
    }
    if (isOutOfRange(error)) {
      // Services check amounts first; this is the safety net so an overflow is never a 500.
      request.log.warn({ err: error }, 'value out of range');
      return sendProblem(reply, 422, 'amount_too_large', 'A number in the request is too large.', undefined, request);
    }
    request.log.error({ err: error }, 'unhandled error');
    // 5xx never leaks internals.
    return sendProblem(reply, 500, 'internal_error', 'Something went wrong on our side.', undefined, request);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      404,
      'not_found',
      `No route for ${request.method} ${request.url.split('?')[0]}.`,
      undefined,
      request,
    ),
  );
}
