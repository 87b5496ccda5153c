import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { withinYears } from '../lib/time.ts';

// ajv-formats is CommonJS; under ESM its function may arrive wrapped in `default`.
type AddFormats = (ajv: Ajv) => Ajv;
const wrapped = addFormatsModule as unknown as AddFormats & { default?: AddFormats };
const addFormats: AddFormats = wrapped.default ?? wrapped;

/**
 * `date-time` and `date` as ajv-formats checks them, and inside the years the platform accepts
 * (lib/time.ts FIRST_YEAR…LAST_YEAR): "0001-01-01" or "9999-12-31T23:00:00Z" is refused at the
 * door rather than turned into a year the database or JavaScript reads otherwise.
 */
function boundYears(ajv: Ajv): void {
  for (const name of ['date-time', 'date'] as const) {
    const format = ajv.formats[name] as { validate: (text: string) => boolean; compare?: unknown };
    ajv.addFormat(name, {
      type: 'string',
      validate: (text: string) => format.validate(text) && withinYears(text),
      ...(format.compare ? { compare: format.compare as (a: string, b: string) => number } : {}),
    });
  }
}

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
  for (const ajv of [bodyAjv, textAjv]) {
    addFormats(ajv);
    boundYears(ajv);
  }
  app.setValidatorCompiler(
    ({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object) as never,
  );
}
