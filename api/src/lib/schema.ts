import { enterpriseSize, labType, qualificationKind, serviceKind } from '@qihub/db';
import { Type, type TSchema } from 'typebox';
import { PROBLEM_CODES } from './errors.ts';

/** Shared TypeBox pieces so every module describes ids, money, lists and problems the same way. */
export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
export const IdParams = Type.Object({ id: Uuid });
export const DateTime = Type.String({ format: 'date-time' });
export const LocalDate = Type.String({ format: 'date', description: 'YYYY-MM-DD (local date)' });

export const Money = Type.Object(
  {
    amount: Type.Integer({ description: 'Integer minor units (fen for CNY)' }),
    currency: Type.String({ minLength: 3, maxLength: 3, examples: ['CNY'] }),
  },
  { title: 'Money' },
);
export const MoneyOrNull = Type.Union([Money, Type.Null()]);

/**
 * Every code the API answers (lib/errors.ts), so the clients generated from the OpenAPI document can
 * name them. Problem, FieldError and ProblemCode are shared schemas (plugins/errors.ts adds them).
 */
export const ProblemCode = Type.Enum(PROBLEM_CODES, {
  $id: 'ProblemCode',
  description: 'Stable machine-readable code',
});
export const FieldError = Type.Object(
  { path: Type.String(), code: Type.Ref('ProblemCode'), message: Type.String() },
  { $id: 'FieldError' },
);
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.Ref('ProblemCode'),
    errors: Type.Optional(Type.Array(Type.Ref('FieldError'))),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'Problem', title: 'Problem' },
);
const ProblemRef = Type.Ref('Problem');

/** Errors leave as this media type (RFC 9457); the error handler sets it on every problem it sends. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * An error response keyed by its media type, so the OpenAPI document (and the clients generated from
 * it) say `application/problem+json` rather than the default `application/json`, and Fastify serialises
 * a problem with this schema exactly when it is sent with that media type.
 */
export interface ProblemResponse {
  description: string;
  content: { [PROBLEM_CONTENT_TYPE]: { schema: TSchema } };
}

/** Standard error responses for a route, so they appear in the OpenAPI document. */
export function problems(...statuses: number[]): Record<number, ProblemResponse> {
  const out: Record<number, ProblemResponse> = {};
  for (const s of statuses) {
    out[s] = { description: 'Problem details (RFC 9457)', content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemRef } } };
  }
  return out;
}

export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A named place (a site, a lab) with the city its region code falls in. */
export const placeFields = {
  id: Uuid,
  nameZh: Type.String(),
  nameEn: Type.String(),
  regionCode: Type.String(),
  cityZh: Nullable(Type.String()),
  cityEn: Nullable(Type.String()),
};

/** Enumerations come from the database schema, so the API and the tables cannot drift apart. */
export const ServiceKind = Type.Enum(serviceKind.enumValues);
export const QualificationKind = Type.Enum(qualificationKind.enumValues);
export const LabType = Type.Enum(labType.enumValues);
/** Enterprise size class per the national statistical classification (统计上大中小微型企业划分办法). */
export const EnterpriseSize = Type.Enum(enterpriseSize.enumValues);
/** GB/T 4754-2017 industry section (门类), a capital letter A–T: "C" is manufacturing. */
export const IndustryCode = Type.String({ pattern: '^[A-T]$', description: 'GB/T 4754-2017 section letter' });
export const RegionCode = Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 code' });

/**
 * A catalogue entry's two bodies from one list of fields: `<name>Create`, where only the `required`
 * fields must be given, and `<name>Patch`, any of the fields but at least one.
 */
export function createAndPatch<F extends Record<string, TSchema>, R extends keyof F & string>(
  name: string,
  fields: F,
  required: readonly R[],
) {
  const createFields = Object.fromEntries(
    Object.entries(fields).map(([key, field]) => [key, required.includes(key as R) ? field : Type.Optional(field)]),
  ) as { [K in keyof F]: K extends R ? F[K] : ReturnType<typeof Type.Optional<F[K]>> };
  return {
    create: Type.Object(createFields, { $id: `${name}Create`, additionalProperties: false }),
    patch: Type.Partial(Type.Object(fields, { additionalProperties: false }), {
      $id: `${name}Patch`,
      additionalProperties: false,
      minProperties: 1,
    }),
  };
}
