import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { documentedSchema, registerNamedSchemas } from './schemas.ts';

/** OpenAPI 3 generated from the TypeBox schemas on every route; Swagger UI at /docs. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'QIHub API',
        version: '0.1.0',
        description:
          'QIHub — one-stop quality infrastructure services for SMEs: catalogue, accounts, lab console. ' +
          'Money is integer fen; instants are UTC ISO 8601; errors are application/problem+json with a stable code.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'Session token from login, or a lab API token (qht_…)',
          },
          cookie: { type: 'apiKey', in: 'cookie', name: 'qihub_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    // Named schemas (an `$id` in a module's schema.ts) become components.schemas: plugins/schemas.ts.
    transform: ({ schema, url }) => ({ schema: schema && documentedSchema(schema), url }),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await registerNamedSchemas(app);
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
