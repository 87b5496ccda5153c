import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../lib/schema.ts';

type Json = { [key: string]: unknown };

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/**
 * Named schemas: a TypeBox schema given an `$id` in a module's schema.ts (`Booking`, `Order` …) is
 * registered once as a shared schema, and every route schema that embeds it refers to it by
 * `$ref` instead. Validation and serialisation are unchanged (a reference resolves to the very same
 * schema); the OpenAPI document lists it once under `components.schemas`, so the web's generated
 * types can name it (`components['schemas']['Booking']`). Embedding it inline instead would put the
 * same `$id` twice into one schema wherever a route extends it (`Type.Intersect`), which the
 * serialiser refuses. The validators are handed the shared schemas too (plugins/validation.ts).
 */
export function registerSharedSchemas(app: FastifyInstance): void {
  /** The schema as written in schema.ts, to tell a second schema with a taken `$id` from a reuse. */
  const originals = new Map<string, object>();

  const share = (schema: Json & { $id: string }): void => {
    const known = originals.get(schema.$id);
    // TypeBox copies a schema it wraps (`Type.Optional`, `Type.Partial`'s properties): a copy is the same schema.
    if (known === schema || (known && isDeepStrictEqual(known, schema))) return;
    if (known) throw new Error(`Two different schemas have the $id "${schema.$id}"`);
    originals.set(schema.$id, schema);
    const { $id, ...body } = schema;
    app.addSchema({ $id, ...(refer(body) as Json) });
  };

  /** A copy of `node` in which each embedded `$id` schema is a reference (untouched parts are kept as they are). */
  const refer = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      const items = node.map(refer);
      return items.some((item, i) => item !== node[i]) ? items : node;
    }
    if (!isObject(node)) return node;
    if (typeof node.$id === 'string') {
      share(node as Json & { $id: string });
      return { $ref: node.$id };
    }
    let copy: Json | null = null;
    for (const [key, value] of Object.entries(node)) {
      const next = refer(value);
      if (next !== value) (copy ??= { ...node })[key] = next;
    }
    return copy ?? node;
  };

  share(Problem as unknown as Json & { $id: string });
  app.addHook('onRoute', (route) => {
    if (route.schema) route.schema = refer(route.schema) as typeof route.schema;
  });
}
