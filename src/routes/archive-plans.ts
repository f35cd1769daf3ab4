import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { summarizePlan } from '../generator/plan-summary.js';
import { resolveRequest } from '../generator/resolve.js';
import { invalidRequest, sendProblem } from '../http/problems.js';
import { archiveRequestSchema } from '../schemas/archive-request.js';
import { planSummarySchema } from '../schemas/plan-summary.js';
import { generatingRouteProblems } from '../schemas/problem.js';

/** POST /archives/plan: what a request would produce, without generating it. */
export async function archivePlanRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/archives/plan', {
    config: { generates: true },
    schema: {
      summary: 'Plan an archive without generating it',
      description: 'Entry count, per-folder and per-type counts, load-file name and columns, estimated bytes and the seed — as POST /archives would produce with the same fields.',
      body: archiveRequestSchema(app.config.limits, 'json'),
      response: { 200: planSummarySchema, ...generatingRouteProblems },
    },
    handler: async (request, reply) => {
      const resolution = resolveRequest(request.body);
      if (!resolution.ok) return sendProblem(reply, invalidRequest(resolution.errors));
      return summarizePlan(resolution.plan, resolution.estimatedBytes, resolution.production);
    },
  });
}
