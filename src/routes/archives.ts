import { randomUUID } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createArchiveStream } from '../generator/archive.js';
import { ArchiveTransfer } from '../http/archive-transfer.js';
import { asksOneRange, firstByteAsked, ifRangeHolds, rangeOf, sliceStream } from '../http/byte-ranges.js';
import { ARCHIVE_STATES, type ArchiveOutcome } from '../generator/archive-tracker.js';
import { resolveRequest } from '../generator/resolve.js';
import { abortWhenClientLeaves } from '../http/client-abort.js';
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
      'The archive (format: zip, tar or tgz), streamed while it is generated. Headers: Content-Disposition, X-Zipper-Seed, X-Archive-Id, ETag, Cache-Control, Accept-Ranges: bytes, and Content-Length when the length is known (archives of at most 1,000 documents are measured before sending; larger ones once this replica has made them whole or measured them for a HEAD or a Range request), else Transfer-Encoding: chunked. HEAD sends the same headers but X-Archive-Id, and no body, with the length: it measures the archive (makes it once without sending it). A Range of several ranges, or an If-Range with another ETag, gets this whole archive.',
    content: Object.fromEntries(Object.values(ARCHIVE_CONTENT_TYPES).map((type) => [type, { schema: archiveBody }])),
  },
  206: {
    description:
      'Range: bytes=a-b (or a-, or -n): exactly those bytes of the archive, with Content-Range: bytes a-b/length and Content-Length (the length measured first when not known). A zip or tar (not a production, not hashMode actual) whose layout this replica recorded (any earlier download, HEAD or range of it) is made from the batch of documents that holds byte a, its tail (load files, central directory) read back; otherwise, or for tgz, the archive is made from its start and the bytes before a are dropped. Generation stops after b.',
    content: Object.fromEntries(Object.values(ARCHIVE_CONTENT_TYPES).map((type) => [type, { schema: archiveBody }])),
  },
  416: problemResponse('The Range starts at or past the end of the archive; Content-Range: bytes */length.'),
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

    const transfer = new ArchiveTransfer(app, resolution);
    const { etag, estimatedBytes, small } = transfer;
    reply.header('ETag', etag).header('X-Zipper-Seed', String(resolved.seed));
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();

    reply
      .header('Content-Type', ARCHIVE_CONTENT_TYPES[resolved.format])
      .header('Content-Disposition', `attachment; filename="${plan.archiveFileName}"`)
      .header('Cache-Control', 'no-transform')
      .header('Accept-Ranges', 'bytes');
    const leaving = abortWhenClientLeaves(reply);
    if (request.method === 'HEAD') {
      // HEAD sends what GET would, and the length GET may not know yet: it measures (what a segmented download asks first).
      const length = transfer.knownLength() ?? (await transfer.measureAdmitted(request, reply, leaving));
      return length === null ? reply : answerHead(reply, length);
    }

    if (!app.admitArchive(reply)) return reply;

    const archiveId = randomUUID();
    const stats = app.generatorStats;
    const ranged = asksOneRange(request.headers.range) && ifRangeHolds(request.headers['if-range'] as string | undefined, etag);
    const run = app.archiveTracker.start(archiveId, transfer.documents, estimatedBytes);
    let length = transfer.knownLength();
    if (length === undefined && (small || ranged)) {
      const measured = await transfer.measureFor(request, reply, leaving, { archiveId, run }, ranged ? firstByteAsked(request.headers.range) : undefined);
      if (measured === null) return reply;
      length = measured;
    }
    const ask = ranged && length !== undefined ? rangeOf(request.headers.range, length) : { kind: 'whole' as const };
    if (ask.kind === 'unsatisfiable') {
      run.finish('ok');
      reply.code(416).header('Content-Range', `bytes */${length}`);
      return sendProblem(reply, { type: 'about:blank', title: 'Range Not Satisfiable', status: 416, detail: `the archive has ${length} bytes: ask a range that starts below that` });
    }
    const [first, last] = ask.kind === 'range' ? [ask.start, ask.end] : [0, length === undefined ? Number.POSITIVE_INFINITY : length - 1];
    if (length !== undefined) run.expectBytes(last - first + 1);
    // A range starts at the seek point before its first byte when a layout knows one; else at the start, recording.
    const seek = transfer.seekFor(first);
    const archive = createArchiveStream(
      plan,
      transfer.streamOptions({
        signal: leaving,
        ...(seek ? { seek } : { recorder: transfer.recorder() }),
        onDocument: (index) => {
          stats.documentsGenerated++;
          run.document(documents.typeOf(index));
        },
        onLoadFileRows: (rows) => app.metrics.loadFileRows(rows),
      }),
    );
    const base = seek?.point.offset ?? 0;
    // Bytes sent, not made: a range's bytes between where generation starts and its first byte are made and dropped.
    const stream = sliceStream(archive, first - base, last - base, (bytes) => run.bytes(bytes));
    let failed = false;
    archive.once('error', () => (failed = true));
    stream.once('error', () => (failed = true));
    reply.raw.once('close', () => {
      // A cut for shutdown also fails the stream (its workers stop): it is the cause, so it names the outcome.
      const complete = reply.raw.writableFinished && !failed;
      if (complete && ask.kind === 'whole') app.archiveLayouts.setLength(etag, run.bytesWritten);
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
    reply.header('X-Archive-Id', archiveId);
    if (ask.kind === 'range') reply.code(206).header('Content-Range', `bytes ${first}-${last}/${length}`);
    if (length !== undefined) reply.header('Content-Length', String(last - first + 1));
    return reply.send(stream);
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
 * HEAD: GET's headers. With the archive's length known (remembered, or a small archive measured)
 * its Content-Length; else chunked, as GET would stream it (Fastify would otherwise send
 * Content-Length: 0). Only X-Archive-Id is left out, as it names a download and HEAD starts none.
 */
function answerHead(reply: FastifyReply, length: number | undefined): FastifyReply {
  reply.hijack();
  const headers = reply.getHeaders() as OutgoingHttpHeaders;
  reply.raw.writeHead(200, { ...headers, ...(length === undefined ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(length) }) });
  reply.raw.end();
  return reply;
}

/** The request fields worth a log line (the defaults left out). */
function summarizeRequest(request: ResolvedRequest): Record<string, unknown> {
  const { count, fileType, fileTypes, folders, distribution, withMetadata, withText, targetSize, compression, seed, loadFileFormats, format } = request;
  return { count, fileType: fileType ?? fileTypes, folders, distribution, withMetadata, withText, targetSize, compression, seed, loadFileFormats, format };
}
