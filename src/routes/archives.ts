import { createHash, randomUUID } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createArchiveStream } from '../generator/archive.js';
import { ARCHIVE_STATES, type ArchiveOutcome } from '../generator/archive-tracker.js';
import { resolveRequest } from '../generator/resolve.js';
import { productionSections } from '../generator/production/entries.js';
import { abortWhenClientLeaves } from '../http/client-abort.js';
import { GENERATOR_VERSION } from '../generator/version.js';
import { invalidRequest, sendProblem } from '../http/problems.js';
import type { ArchiveFormat, ArchiveRequest, ResolvedRequest } from '../generator/request.js';
import { archiveRequestSchema } from '../schemas/archive-request.js';
import { generatingRouteProblems, problemResponse } from '../schemas/problem.js';
import { acceptMultipart } from '../plugins/external/multipart.js';
import { requestWithSources, sourcesHook } from '../http/sources.js';

/** Content-Type of each archive format. */
export const ARCHIVE_CONTENT_TYPES: Record<ArchiveFormat, string> = { zip: 'application/zip', tar: 'application/x-tar', tgz: 'application/gzip' };

const archiveBody = z.string().meta({ format: 'binary' });
const emptyBody = z.string().meta({ maxLength: 0 });
const archiveResponses = {
  200: {
    description:
      'The archive (format: zip, tar or tgz), streamed (chunked) while it is generated. Headers: Content-Disposition, X-Zipper-Seed, X-Archive-Id, ETag, Cache-Control. HEAD sends the same headers (Transfer-Encoding: chunked, no Content-Length) but X-Archive-Id, and no body.',
    content: Object.fromEntries(Object.values(ARCHIVE_CONTENT_TYPES).map((type) => [type, { schema: archiveBody }])),
  },
  304: {
    description: 'If-None-Match matched the ETag: the archive would be the same bytes.',
    content: Object.fromEntries(Object.values(ARCHIVE_CONTENT_TYPES).map((type) => [type, { schema: emptyBody }])),
  },
  ...generatingRouteProblems,
};

const progressSchema = z
  .object({
    id: z.string(),
    state: z.enum(ARCHIVE_STATES).describe('shutdown: cut when the service stopped (its grace period, ZIPPER_SHUTDOWN_GRACE_MS, ran out)'),
    documentsWritten: z.number().int(),
    documentsTotal: z.number().int(),
    bytesWritten: z.number().int(),
    estimatedBytes: z.number().int(),
    documentsPerSecond: z.number(),
    bytesPerSecond: z.number(),
    etaSeconds: z.number().nullable().describe('At the current rate; 0 once ended; null before a rate is known'),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'ArchiveProgress' });

/** Strong validator over what determines the bytes: the normalised request, its seed, the generator. */
export function archiveEtag(request: ResolvedRequest): string {
  // A source-driven set's records stand in by their digest (the table's file and offsets are this request's own).
  const fields = Object.entries(request).map(([key, value]) => [key, key === 'sources' && value ? { digest: request.sources!.digest } : value] as const);
  const canonical = JSON.stringify(Object.fromEntries(fields.sort(([a], [b]) => a.localeCompare(b))));
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
  await acceptMultipart(app, app.config.maxUploadSize);
  const bodySchema = archiveRequestSchema(limits, 'json');

  async function streamArchive(fields: ArchiveRequest, request: FastifyRequest, reply: FastifyReply) {
    const resolution = resolveRequest(fields);
    if (!resolution.ok) return sendProblem(reply, invalidRequest(resolution.errors));
    const { plan, request: resolved, production } = resolution;
    // A production's documents are count × sets, numbered across its sets.
    const documents = production ? production.archive : plan;

    const etag = archiveEtag(resolved);
    reply.header('ETag', etag).header('X-Zipper-Seed', String(resolved.seed));
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();

    reply
      .header('Content-Type', ARCHIVE_CONTENT_TYPES[resolved.format])
      .header('Content-Disposition', `attachment; filename="${plan.archiveFileName}"`)
      .header('Cache-Control', 'no-transform');
    if (request.method === 'HEAD') return answerHead(reply);

    if (!app.admitArchive(reply)) return reply;

    const archiveId = randomUUID();
    const stats = app.generatorStats;
    const run = app.archiveTracker.start(archiveId, documents.count, resolution.estimatedBytes * (production?.sets.length ?? 1));
    const stream = createArchiveStream(plan, {
      engine: app.config.zipEngine,
      pool: app.generatorPool,
      tempDir: app.config.tempDir,
      signal: abortWhenClientLeaves(reply),
      onDocument: (index) => {
        stats.documentsGenerated++;
        run.document(documents.typeOf(index));
      },
      onBytes: (bytes) => run.bytes(bytes),
      onLoadFileRows: (rows) => app.metrics.loadFileRows(rows),
      ...(production ? { sections: productionSections(production, app.generatorPool) } : {}),
    });
    let failed = false;
    stream.once('error', () => (failed = true));
    reply.raw.once('close', () => {
      // A cut for shutdown also fails the stream (its workers stop): it is the cause, so it names the outcome.
      const complete = reply.raw.writableFinished && !failed;
      const outcome: ArchiveOutcome = complete ? 'ok' : app.isCuttingForShutdown() ? 'shutdown' : failed ? 'error' : 'client_aborted';
      run.finish(outcome);
      // One line per archive: what was asked, what was sent, how fast, how it ended.
      request.log.info(
        {
          archiveId,
          request: summarizeRequest(resolved),
          documents: run.documentsWritten,
          bytes: run.bytesWritten,
          durationMs: Math.round(run.seconds * 1000),
          documentsPerSecond: Math.round(run.documentsWritten / Math.max(run.seconds, 1e-3)),
          outcome: run.state,
        },
        'archive finished',
      );
    });
    return reply.header('X-Archive-Id', archiveId).send(stream);
  }

  routes.post('/archives', {
    config: { generates: true },
    schema: {
      summary: 'Generate and stream an archive',
      description:
        'Validates every field first (400 problem+json naming each bad field), then streams the archive (ZIP, tar or tgz) while generating it. A source-driven set may come as multipart/form-data: part request (these fields as JSON), then part sources (a CSV, streamed).',
      body: bodySchema,
      response: archiveResponses,
    },
    preValidation: sourcesHook({ schema: bodySchema, maxCount: limits.maxCount, tempDir: app.config.tempDir }),
    handler: (request, reply) => streamArchive(requestWithSources(request, request.body), request, reply),
  });

  routes.get('/archives', {
    config: { generates: true },
    schema: {
      summary: 'Generate and stream an archive (query string)',
      description: 'The same fields as POST /archives, as a query string: cache-friendly.',
      querystring: archiveRequestSchema(limits, 'query'),
      response: archiveResponses,
    },
    handler: (request, reply) => streamArchive(request.query, request, reply),
  });

  routes.get('/archives/:id/progress', {
    schema: {
      summary: 'Live progress of an archive being streamed',
      description: 'The id is the X-Archive-Id header of the download. Kept for ZIPPER_PROGRESS_RETENTION_MS after it ends.',
      params: z.object({ id: z.string().uuid() }),
      response: { 200: progressSchema, 404: problemResponse('No archive with this id (or it ended too long ago).') },
    },
    handler: async (request, reply) => {
      const progress = app.archiveTracker.progress(request.params.id);
      if (progress) return progress;
      return sendProblem(reply, { type: 'about:blank', title: 'Not Found', status: 404, detail: `no archive ${request.params.id}` });
    },
  });
}

/**
 * HEAD: GET's headers, generating nothing. GET streams chunked with no length, so HEAD says
 * chunked too (Fastify would otherwise send Content-Length: 0, a length GET never has); only
 * X-Archive-Id is left out, as it names a download and HEAD starts none.
 */
function answerHead(reply: FastifyReply): FastifyReply {
  reply.hijack();
  const headers = reply.getHeaders() as OutgoingHttpHeaders;
  reply.raw.writeHead(200, { ...headers, 'transfer-encoding': 'chunked' });
  reply.raw.end();
  return reply;
}

/** The request fields worth a log line (the defaults left out). */
function summarizeRequest(request: ResolvedRequest): Record<string, unknown> {
  const { count, fileType, fileTypes, folders, distribution, withMetadata, withText, targetSize, compression, seed, loadFileFormats, format } = request;
  return { count, fileType: fileType ?? fileTypes, folders, distribution, withMetadata, withText, targetSize, compression, seed, loadFileFormats, format };
}
