import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createArchiveStream } from '../generator/archive.js';
import { resolveRequest } from '../generator/resolve.js';
import { abortWhenClientLeaves } from '../http/client-abort.js';
import { GENERATOR_VERSION } from '../generator/version.js';
import { invalidRequest, sendProblem } from '../plugins/problem-details.js';
import { archiveRequestSchema, type ArchiveRequest, type ResolvedRequest } from '../schemas/archive-request.js';
import { problemResponse } from '../schemas/problem.js';

const archiveResponses = {
  200: {
    description:
      'The ZIP archive, streamed (chunked) while it is generated. Headers: Content-Disposition, X-Zipper-Seed, X-Archive-Id, ETag.',
    content: { 'application/zip': { schema: z.string().meta({ format: 'binary' }) } },
  },
  304: { description: 'If-None-Match matched the ETag: the archive would be the same bytes.', content: { 'application/zip': { schema: z.string().meta({ maxLength: 0 }) } } },
  400: problemResponse('A bad field (every bad field is named); sent before any archive byte.'),
};

/** Strong validator over what determines the bytes: the normalised request, its seed, the generator. */
export function archiveEtag(request: ResolvedRequest): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(request).sort(([a], [b]) => a.localeCompare(b))));
  return `"${createHash('sha256').update(`${GENERATOR_VERSION}\n${canonical}`).digest('base64url')}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === '*' || header.split(',').some((candidate) => candidate.trim() === etag);
}

/** POST /archives and GET /archives: validate, plan, then stream the archive into the reply. */
export async function archiveRoutes(app: FastifyInstance): Promise<void> {
  const limits = app.config.limits;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  async function streamArchive(fields: ArchiveRequest, request: FastifyRequest, reply: FastifyReply) {
    const resolution = resolveRequest(fields);
    if (!resolution.ok) return sendProblem(reply, invalidRequest([{ field: resolution.field, message: resolution.message }]));
    const { plan, request: resolved } = resolution;

    const etag = archiveEtag(resolved);
    reply.header('ETag', etag).header('X-Zipper-Seed', String(resolved.seed));
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();

    reply.header('Content-Type', 'application/zip').header('Content-Disposition', `attachment; filename="${plan.archiveFileName}"`);
    // HEAD answers with the headers alone: nothing to generate.
    if (request.method === 'HEAD') return reply.send();

    const archiveId = randomUUID();
    const stats = app.generatorStats;
    const stream = createArchiveStream(plan, {
      engine: app.config.zipEngine,
      pool: app.generatorPool,
      tempDir: app.config.tempDir,
      signal: abortWhenClientLeaves(reply),
      onDocument: () => {
        stats.documentsGenerated++;
      },
    });
    request.log.info({ archiveId, seed: resolved.seed, count: plan.count, estimatedBytes: resolution.estimatedBytes }, 'archive started');
    return reply
      .header('X-Archive-Id', archiveId)
      .header('Cache-Control', 'no-transform')
      .send(stream);
  }

  routes.post('/archives', {
    schema: {
      summary: 'Generate and stream an archive',
      description: 'Validates every field first (400 problem+json naming each bad field), then streams the ZIP while generating it.',
      body: archiveRequestSchema(limits, 'json'),
      response: archiveResponses,
    },
    handler: (request, reply) => streamArchive(request.body, request, reply),
  });

  routes.get('/archives', {
    schema: {
      summary: 'Generate and stream an archive (query string)',
      description: 'The same fields as POST /archives, as a query string: cache-friendly.',
      querystring: archiveRequestSchema(limits, 'query'),
      response: archiveResponses,
    },
    handler: (request, reply) => streamArchive(request.query, request, reply),
  });
}
