import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadFileAnomalyCount } from '../generator/chaos/answer-key.js';
import { loadFileProducer } from '../generator/parallel/loadfile.js';
import { resolveRequest, type ResolutionError } from '../generator/resolve.js';
import { SET_LOAD_FILES, setLoadFileChunks, type SetLoadFile } from '../generator/production/loadfiles.js';
import type { ProductionPlan } from '../generator/production/plan.js';
import { abortWhenClientLeaves } from '../http/client-abort.js';
import { invalidRequest, sendProblem } from '../http/problems.js';
import { LOAD_FILE_SUFFIXES } from '../generator/plan.js';
import { LOAD_FILE_FORMATS, requestedLoadFileFormats, type LoadFileFormat } from '../generator/request.js';
import { archiveRequestSchema } from '../schemas/archive-request.js';
import { generatingRouteProblems } from '../schemas/problem.js';
import { acceptMultipart } from '../plugins/external/multipart.js';
import { requestWithSources, sourcesHook } from '../http/sources.js';

const CHARSETS = { 'UTF-8': 'utf-8', 'UTF-16': 'utf-16le', ANSI: 'windows-1252' } as const;

/** POST /loadfiles: the load file alone (Zipper's load-file-only mode), streamed as it is generated. */
export async function loadFileRoutes(app: FastifyInstance): Promise<void> {
  await acceptMultipart(app, app.config.maxUploadSize);
  const bodySchema = archiveRequestSchema(app.config.limits, 'json');
  app.withTypeProvider<ZodTypeProvider>().post('/loadfiles', {
    config: { generates: true },
    schema: {
      summary: 'Stream the load file alone',
      description: 'The load file the same fields would put in the archive, row by row; memory stays flat at any count.',
      body: bodySchema,
      querystring: z.strictObject({
        loadFile: z
          .enum(LOAD_FILE_FORMATS)
          .optional()
          .describe(
            "Which of the requested load files to stream; needed when the body asks for more than one. The archive the body describes (all its load files) sizes the documents. With production: dat or opt, the set's DAT or OPT (both are in every set; absent, the body's one requested format, dat by default).",
          ),
        set: z
          .string()
          .regex(/^[1-9][0-9]{0,5}$/, { message: 'expected a set number: 1, 2 …' })
          .transform(Number)
          .optional()
          .describe("With production: which set's load file, 1-based [1] (a rolling production has production.rolling.count sets)."),
      }),
      response: {
        200: {
          description:
            "The load file, streamed (chunked). Headers X-Zipper-Seed, X-Zipper-Anomalies (broken lines with chaos, else 0); with production X-Zipper-Production-Set (the set's id). A production set's DAT or OPT is byte for byte the archive's DATA/<name>.dat or .opt of that set; rows failing the set's validation break the transfer after the last row.",
          content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } },
        },
        ...generatingRouteProblems,
      },
    },
    preValidation: sourcesHook({ schema: bodySchema, maxCount: app.config.limits.maxCount, tempDir: app.config.tempDir }),
    handler: async (request, reply) => {
      // The archive the body describes is the sizing context (its padding depends on every load file
      // it holds, or on none), so the load file streamed here is byte for byte the archive's.
      const resolution = resolveRequest(requestWithSources(request, request.body));
      if (!resolution.ok) return sendProblem(reply, invalidRequest(resolution.errors));
      if (resolution.production) return sendProductionLoadFile(app, resolution.production, request.query, reply as FastifyReply);
      if (request.query.set !== undefined) {
        return sendProblem(reply, invalidRequest([{ field: 'set', message: 'selects a set of a production: the body asks for no production' }]));
      }
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

/** `format` as one of a production set's load files, or null. */
function setLoadFile(format: LoadFileFormat | undefined): SetLoadFile | null {
  return SET_LOAD_FILES.find((name) => name === format) ?? null;
}

/** One set's DAT or OPT (`?set=`, `?loadFile=`), the chunks the archive's entry is made of. */
function sendProductionLoadFile(app: FastifyInstance, production: ProductionPlan, query: { loadFile?: LoadFileFormat; set?: number }, reply: FastifyReply) {
  const errors: ResolutionError[] = [];
  const sets = production.sets.length;
  const set = production.sets[(query.set ?? 1) - 1];
  if (!set) errors.push({ field: 'set', message: `the production has ${sets} set${sets === 1 ? '' : 's'}: give 1${sets === 1 ? '' : ` … ${sets}`}` });
  // The body's formats are dat and opt at most (the schema refuses others with production).
  const requested = requestedLoadFileFormats(production.request);
  const format = setLoadFile(query.loadFile ?? (requested.length === 1 ? requested[0] : undefined));
  if (format === null) {
    const message = query.loadFile
      ? `a production set's load files are dat and opt: ${query.loadFile} is not one`
      : `the body asks for ${requested.length} load files (${requested.join(', ')}): name one, e.g. ?loadFile=${requested[0]}`;
    errors.push({ field: 'loadFile', message });
  }
  if (!set || format === null) return sendProblem(reply, invalidRequest(errors));
  const path = production.loadFiles[format];
  const rows = Readable.from(
    setLoadFileChunks(production, set, format, app.generatorPool, (count) => app.metrics.loadFileRows(count)),
    { objectMode: false },
  );
  abortWhenClientLeaves(reply).addEventListener('abort', () => rows.destroy(), { once: true });
  return reply
    .header('Content-Type', `text/plain; charset=${CHARSETS[production.request.encoding]}`)
    .header('Content-Disposition', `attachment; filename="${path.slice(path.lastIndexOf('/') + 1)}"`)
    .header('X-Zipper-Seed', String(production.request.seed))
    .header('X-Zipper-Anomalies', '0')
    .header('X-Zipper-Production-Set', set.id)
    .send(rows);
}
