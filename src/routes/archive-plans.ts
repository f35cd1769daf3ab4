import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
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
      description:
        'Entry count, per-folder and per-type counts, load-file name and columns, estimated bytes, the exact length when known (or measured: small archives, or ?measure=true), and the seed — as POST /archives would produce with the same fields.',
      querystring: z.object({
        measure: z
          .enum(['true', 'false'])
          .optional()
          .describe('true: archiveBytes is measured when not known, whatever the size (the archive is made once without sending it, as HEAD /archives does: seconds for millions of documents; admitted like a download)'),
      }),
      body: bodySchema,
      response: { 200: planSummarySchema, ...generatingRouteProblems },
    },
    preValidation: sourcesHook({ schema: bodySchema, maxCount: app.config.limits.maxCount, tempDir: app.config.tempDir }),
    handler: async (request, reply) => {
      const resolution = resolveRequest(requestWithSources(request, request.body));
      if (!resolution.ok) return sendProblem(reply, invalidRequest(resolution.errors));
      // Its exact length if known, or cheap to learn, or asked for (made once and counted, as for Content-Length).
      const transfer = new ArchiveTransfer(app, resolution);
      let archiveBytes = transfer.knownLength() ?? null;
      if (archiveBytes === null && (transfer.small || request.query.measure === 'true')) {
        archiveBytes = await transfer.measureAdmitted(request, reply, abortWhenClientLeaves(reply));
        if (archiveBytes === null) return reply;
      }
      return { ...summarizePlan(resolution.plan, resolution.estimatedBytes, resolution.production), archiveBytes };
    },
  });
}
