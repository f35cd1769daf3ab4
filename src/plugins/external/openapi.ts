import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { GENERATOR_VERSION } from '../../generator/version.js';

/** OpenAPI generated from the routes' zod schemas: served at /openapi.json, browsable at /docs. */
async function openApiPlugin(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Zipper service',
        description: 'Streams synthetic e-discovery fixture archives: placeholder documents plus a load file that indexes them.',
        version: GENERATOR_VERSION,
      },
    },
    transform: jsonSchemaTransform,
    // Schemas with a meta id (PlanSummary, Problem, ArchiveProgress) go to components.schemas, where the routes' $refs point.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

// Not encapsulated: it serves every route of the app.
export const openApi = fp(openApiPlugin, { name: 'openApi' });
