import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadFileProducer } from '../generator/parallel/loadfile.js';
import { resolveRequest } from '../generator/resolve.js';
import { abortWhenClientLeaves } from '../http/client-abort.js';
import { invalidRequest, sendProblem } from '../http/problems.js';
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
      response: {
        200: { description: 'The load file, streamed (chunked). Header X-Zipper-Seed.', content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } } },
        ...generatingRouteProblems,
      },
    },
    handler: async (request, reply) => {
      const resolution = resolveRequest({ ...request.body, includeLoadFile: true });
      if (!resolution.ok) return sendProblem(reply, invalidRequest([resolution.error]));
      const { plan } = resolution;
      const [loadFile, ...others] = plan.loadFiles;
      if (!loadFile || others.length > 0) {
        return sendProblem(reply, invalidRequest([{ field: 'loadFileFormats', message: 'POST /loadfiles streams one load file: ask for one format' }]));
      }
      // Rows are encoded by the generator workers in parallel, in order (one pass here with bates).
      const producer = loadFileProducer(plan, loadFile.format, app.generatorPool, 0, (count) => app.metrics.loadFileRows(count));
      const rows = Readable.from(producer.chunks(), { objectMode: false });
      abortWhenClientLeaves(reply).addEventListener('abort', () => rows.destroy(), { once: true });
      // A stream, not a serialised body: the untyped reply sends it as it is.
      return (reply as FastifyReply)
        .header('Content-Type', `${loadFile.format === 'edrm-xml' ? 'application/xml' : loadFile.format === 'csv' ? 'text/csv' : 'text/plain'}; charset=${CHARSETS[plan.request.encoding]}`)
        .header('Content-Disposition', `attachment; filename="${loadFile.name}"`)
        .header('X-Zipper-Seed', String(plan.request.seed))
        .send(rows);
    },
  });
}
