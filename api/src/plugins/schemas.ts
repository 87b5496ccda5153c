import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, FastifySchema } from 'fastify';

type Json = { [key: string]: unknown };
type Named = Json & { $id: string };

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/** A copy of `node` without `$id`s (untouched parts are kept as they are). */
function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) {
    const items = node.map(withoutIds);
    return items.some((item, i) => item !== node[i]) ? items : node;
  }
  if (!isObject(node)) return node;
  let copy: Json | null = null;
  if ('$id' in node) {
    copy = { ...node };
    delete copy.$id;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$id') continue;
    const next = withoutIds(value);
    if (next !== value) (copy ??= { ...node })[key] = next;
  }
  return copy ?? node;
}

/**
 * Named schemas. A TypeBox schema given an `$id` in a module's schema.ts (`Booking`, `Order` …) is a
 * named part of the OpenAPI document: it is listed once under `components.schemas` and referred to
 * by `$ref` wherever a route embeds it, so the web's generated types can name it
 * (`components['schemas']['Booking']`).
 *
 * Only the document sees them. The routes run with the same schemas without the `$id`s, so
 * validation and serialisation are exactly what they were: the serialiser refuses one `$id` twice in
 * a schema (where a route extends a named schema, `Type.Intersect([Booking, …])`), and a shared
 * schema registered where the routes are is loaded by every route's serialiser (a start several
 * times slower). So the named schemas are registered in a plugin context of their own, without
 * routes, which @fastify/swagger reads its shared schemas from; the route schemas as written, with
 * `$ref`s, reach it through its `transform` option (`documentedSchema`).
 *
 * Call after registering @fastify/swagger and before the routes.
 */
export async function registerNamedSchemas(app: FastifyInstance): Promise<void> {
  let components: FastifyInstance | undefined;
  await app.register(async (instance) => {
    components = instance;
  });
  const originals = new Map<string, Named>();

  const share = (schema: Named): void => {
    const known = originals.get(schema.$id);
    // TypeBox copies a schema it wraps (`Type.Optional`, `Type.Partial`'s properties): a copy is the same schema.
    if (known === schema || (known && isDeepStrictEqual(known, schema))) return;
    if (known) throw new Error(`Two different schemas have the $id "${schema.$id}"`);
    originals.set(schema.$id, schema);
    const { $id, ...body } = schema;
    components!.addSchema({ $id, ...(refer(body) as Json) });
  };

  /** A copy of `node` in which each embedded `$id` schema is a reference to its shared schema. */
  const refer = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      const items = node.map(refer);
      return items.some((item, i) => item !== node[i]) ? items : node;
    }
    if (!isObject(node)) return node;
    if (typeof node.$id === 'string') {
      share(node as Named);
      return { $ref: node.$id };
    }
    let copy: Json | null = null;
    for (const [key, value] of Object.entries(node)) {
      const next = refer(value);
      if (next !== value) (copy ??= { ...node })[key] = next;
    }
    return copy ?? node;
  };

  app.addHook('onRoute', (route) => {
    if (!route.schema) return;
    const written = route.schema;
    route.schema = withoutIds(written) as FastifySchema;
    documented.set(route.schema, refer(written) as FastifySchema);
  });
}

/** The route schemas with `$ref`s to the named schemas, by the schema the route runs with. */
const documented = new WeakMap<FastifySchema, FastifySchema>();

/** For the OpenAPI document: the route's schema with its named parts (see registerNamedSchemas). */
export function documentedSchema(schema: FastifySchema): FastifySchema {
  return documented.get(schema) ?? schema;
}
