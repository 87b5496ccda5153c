import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS; under ESM its function may arrive wrapped in `default`.
type AddFormats = (ajv: Ajv) => Ajv;
const wrapped = addFormatsModule as unknown as AddFormats & { default?: AddFormats };
const addFormats: AddFormats = wrapped.default ?? wrapped;

const common: Options = {
  // Unknown fields are rejected by `additionalProperties: false`, never silently dropped.
  removeAdditional: false,
  useDefaults: true,
  allErrors: true,
  strict: false,
};

/**
 * Two validators: query strings and path parameters arrive as text and are coerced to the schema's
 * types; JSON bodies are not coerced at all, so `42` is not an email, `"SEM"` is not a list and
 * `null` stays `null` (coercion would silently turn a null rate into 0 fen).
 */
export function registerValidation(app: FastifyInstance): void {
  const bodyAjv = new Ajv({ ...common, coerceTypes: false });
  const textAjv = new Ajv({ ...common, coerceTypes: 'array' });
  addFormats(bodyAjv);
  addFormats(textAjv);
  app.setValidatorCompiler(
    ({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object) as never,
  );
}
