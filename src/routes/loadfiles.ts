import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadFileAnomalyCount } from '../generator/chaos/answer-key.js';
import { loadFileProducer } from '../generator/parallel/loadfile.js';
import { PRODUCTION_NOT_STREAMED, resolveRequest } from '../generator/resolve.js';
import { abortWhenClientLeaves } from '../http/client-abort.js';
import { invalidRequest, sendProblem } from '../http/problems.js';
import { LOAD_FILE_SUFFIXES } from '../generator/plan.js';
import { LOAD_FILE_FORMATS, requestedLoadFileFormats } from '../generator/request.js';
import { archiveRequestSchema } from '../schemas/archive-request.js';
import { generatingRouteProblems } from '../schemas/problem.js';

const CHARSETS = { 'UTF-8': 'utf-8', 'UTF-16': 'utf-16le', ANSI: 'windows-1252' } as const;

/** POST /loadfiles: the load file alone (Zipper's load-file-only mode), streamed as it is generated. */
export async function loadFileRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/loadfiles', {
    config: { generates: true },
    schema: {
      summary: 'Stream the load file alone',
      description: 'The load file the same fields would put in the archive, row by row; memory stays flat at any count.',
      body: archiveRequestSchema(app.config.limits, 'json'),
      querystring: z.strictObject({
        loadFile: z
          .enum(LOAD_FILE_FORMATS)
          .optional()
          .describe('Which of the requested load files to stream; needed when the body asks for more than one. The archive the body describes (all its load files) sizes the documents.'),
      }),
      response: {
        200: { description: 'The load file, streamed (chunked). Headers X-Zipper-Seed, X-Zipper-Anomalies (broken lines with chaos, else 0).', content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } } },
        ...generatingRouteProblems,
      },
    },
    handler: async (request, reply) => {
      // The archive the body describes is the sizing context (its padding depends on every load file
      // it holds, or on none), so the load file streamed here is byte for byte the archive's.
      const resolution = resolveRequest(request.body);
      if (!resolution.ok) return sendProblem(reply, invalidRequest(resolution.errors));
      if (resolution.production) return sendProblem(reply, invalidRequest([PRODUCTION_NOT_STREAMED]));
      const { plan } = resolution;
      const formats = requestedLoadFileFormats(plan.request);
      const format = request.query.loadFile ?? (formats.length === 1 ? formats[0] : undefined);
      if (format === undefined || !formats.includes(format)) {
        const message = request.query.loadFile
          ? `not one of the load files the body asks for (${formats.join(', ')})`
          : `the body asks for ${formats.length} load files (${formats.join(', ')}): name one, e.g. ?loadFile=${formats[0]}`;
        return sendProblem(reply, invalidRequest([{ field: 'loadFile', message }]));
      }
      const loadFile = { format, name: `${plan.request.name}${LOAD_FILE_SUFFIXES[format]}` };
      // Rows are encoded by the generator workers in parallel, in order (one pass here with bates).
      const producer = loadFileProducer(plan, loadFile.format, app.generatorPool, 0, (count) => app.metrics.loadFileRows(count));
      const rows = Readable.from(producer.chunks(), { objectMode: false });
      abortWhenClientLeaves(reply).addEventListener('abort', () => rows.destroy(), { once: true });
      // A stream, not a serialised body: the untyped reply sends it as it is.
      return (reply as FastifyReply)
        .header('Content-Type', `${loadFile.format === 'edrm-xml' ? 'application/xml' : loadFile.format === 'csv' ? 'text/csv' : 'text/plain'}; charset=${CHARSETS[plan.request.encoding]}`)
        .header('Content-Disposition', `attachment; filename="${loadFile.name}"`)
        .header('X-Zipper-Seed', String(plan.request.seed))
        .header('X-Zipper-Anomalies', String(loadFileAnomalyCount(plan, loadFile.format)))
        .send(rows);
    },
  });
}
