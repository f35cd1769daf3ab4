import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

const statusSchema = z.object({ status: z.string() });

/** Liveness and readiness probes: open to everyone, never generate anything. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { schema: { summary: 'Liveness', response: { 200: statusSchema } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'Readiness', response: { 200: statusSchema, 503: statusSchema } } }, async (_request, reply) =>
    app.isDraining() ? reply.code(503).send({ status: 'draining' }) : { status: 'ready' },
  );
}
