import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { summarizePlan } from '../generator/plan-summary.js';
import { resolveRequest } from '../generator/resolve.js';
import { ArchiveTransfer } from '../http/archive-transfer.js';
import { abortWhenClientLeaves } from '../http/client-abort.js';
import { invalidRequest, sendProblem } from '../http/problems.js';
import { archiveRequestSchema } from '../schemas/archive-request.js';
import { planSummarySchema } from '../schemas/plan-summary.js';
import { generatingRouteProblems } from '../schemas/problem.js';
import { acceptMultipart } from '../plugins/external/multipart.js';
import { requestWithSources, sourcesHook } from '../http/sources.js';

/** POST /archives/plan: what a request would produce, without generating it. */
export async function archivePlanRoutes(app: FastifyInstance): Promise<void> {
  await acceptMultipart(app, app.config.maxUploadSize);
  const bodySchema = archiveRequestSchema(app.config.limits, 'json');
  app.withTypeProvider<ZodTypeProvider>().post('/archives/plan', {
    config: { generates: true },
    schema: {
      summary: 'Plan an archive without generating it',
      description: 'Entry count, per-folder and per-type counts, load-file name and columns, estimated bytes, the exact length when known, and the seed — as POST /archives would produce with the same fields.',
      body: bodySchema,
      response: { 200: planSummarySchema, ...generatingRouteProblems },
    },
    preValidation: sourcesHook({ schema: bodySchema, maxCount: app.config.limits.maxCount, tempDir: app.config.tempDir }),
    handler: async (request, reply) => {
      const resolution = resolveRequest(requestWithSources(request, request.body));
      if (!resolution.ok) return sendProblem(reply, invalidRequest(resolution.errors));
      // Its exact length, if known or cheap to learn (made once and counted, as for Content-Length).
      const transfer = new ArchiveTransfer(app, resolution);
      const archiveBytes = transfer.knownLength() ?? (transfer.small ? await transfer.measure(abortWhenClientLeaves(reply)).catch(() => null) : null);
      return { ...summarizePlan(resolution.plan, resolution.estimatedBytes, resolution.production), archiveBytes };
    },
  });
}
