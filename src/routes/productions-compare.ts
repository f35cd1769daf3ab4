import { Readable } from 'node:stream';
import type { MultipartFile, MultipartValue, Multipart } from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COMPARISON_MODES, compareProductions, reportJson, type ComparisonMode } from '../generator/production/compare/compare.js';
import { DatFormatError } from '../generator/production/compare/dat-reader.js';
import { isManifestError, parseManifest } from '../generator/production/compare/manifest.js';
import { reportMarkdown } from '../generator/production/compare/markdown.js';
import { readDat, RecordLimitError, RecordSet } from '../generator/production/compare/records.js';
import { invalidRequest, sendProblem, type Problem } from '../http/problems.js';
import { acceptMultipart } from '../plugins/external/multipart.js';
import { comparisonReportSchema } from '../schemas/comparison-report.js';
import { problemResponse } from '../schemas/problem.js';

/** A manifest is a few KiB; more is not one. */
export const MAX_MANIFEST_SIZE = 1024 * 1024;

class PartProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

const bad = (field: string, message: string) => new PartProblem(invalidRequest([{ field, message }]));

function tooLarge(field: string, detail: string): PartProblem {
  return new PartProblem({ type: 'urn:zipper:problem:too-large', title: 'Content Too Large', status: 413, detail: `${field}: ${detail}`, errors: [{ field, message: detail }] });
}

async function partText(part: Multipart, field: string): Promise<string> {
  if (part.type === 'field') return String((part as MultipartValue).value);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of (part as MultipartFile).file) {
    size += (chunk as Buffer).length;
    if (size > MAX_MANIFEST_SIZE) throw tooLarge(field, `larger than ${MAX_MANIFEST_SIZE} bytes: not a manifest`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseMode(value: string): ComparisonMode {
  const mode = value.trim().toLowerCase();
  if (!(COMPARISON_MODES as readonly string[]).includes(mode)) throw bad('mode', `'${value}' is not one of replacement, supplemental, reproduction`);
  return mode as ComparisonMode;
}

/**
 * Reads the parts in order: manifest, dat, manifest, dat … (priors first, the new set last) and a
 * `mode` field anywhere. Each DAT is read as it streams, into the rows of its production; when a
 * further manifest arrives, the rows read so far join the priors. Parts are named by their place:
 * manifest[0], dat[0], manifest[1] …
 */
async function readParts(request: FastifyRequest, maxRows: number, maxUploadSize: number) {
  const prior = new RecordSet();
  let current: RecordSet | null = null;
  const manifests: string[] = [];
  let pending: ReturnType<typeof parseManifest> | null = null;
  let mode: ComparisonMode | null = null;
  let productions = 0;
  for await (const part of request.parts()) {
    if (part.fieldname === 'mode' && part.type === 'field') {
      if (mode !== null) throw bad('mode', 'is given twice');
      mode = parseMode(String(part.value));
    } else if (part.fieldname === 'manifest') {
      const field = `manifest[${productions}]`;
      if (pending !== null) throw bad(`dat[${productions}]`, `is missing: ${field} follows manifest[${productions}] without its DAT`);
      const manifest = parseManifest(await partText(part, field));
      if (isManifestError(manifest)) throw bad(manifest.field === '' ? field : `${field}.${manifest.field}`, manifest.message);
      pending = manifest;
    } else if (part.fieldname === 'dat' && part.type === 'file') {
      const field = `dat[${productions}]`;
      if (pending === null || isManifestError(pending)) throw bad(field, `comes before its manifest: send manifest[${productions}] first, then its DAT`);
      if (current) prior.absorb(current);
      current = new RecordSet();
      const production = current.addProduction(pending.productionId);
      manifests.push(`${pending.productionId}/_manifest.json`);
      // Over ZIPPER_MAX_UPLOAD_SIZE, busboy ends the part early (truncated): that, not what the cut
      // DAT looks like, is the answer.
      const overSize = () => tooLarge(field, `larger than ZIPPER_MAX_UPLOAD_SIZE (${maxUploadSize} bytes)`);
      try {
        await readDat(part.file, pending.reading, current, production, maxRows - prior.size);
      } catch (error) {
        if (part.file.truncated) throw overSize();
        if (error instanceof DatFormatError) throw bad(field, error.message);
        if (error instanceof RecordLimitError) throw tooLarge(field, `more than ${maxRows} rows to compare (ZIPPER_MAX_COMPARE_ROWS, all DATs together)`);
        throw error;
      }
      if (part.file.truncated) throw overSize();
      pending = null;
      productions++;
    } else {
      const kind = part.type === 'file' ? 'file' : 'field';
      throw bad(part.fieldname, `is not a part of a comparison (${kind}): send manifest and dat parts, and a mode field`);
    }
  }
  if (pending !== null) throw bad(`dat[${productions}]`, `is missing: manifest[${productions}] has no DAT after it`);
  if (productions < 2) throw bad('manifest', `${productions} production(s) given: at least two are needed (priors first, the new set last), each a manifest part then a dat part`);
  if (mode === null) throw bad('mode', 'is required: replacement, supplemental or reproduction');
  return { prior, next: current!, manifests, mode };
}

const multipartBody = z
  .object({
    manifest: z.array(z.string().meta({ format: 'binary' })).min(2).describe("Each production's _manifest.json, each followed by its DAT; priors first, the new set last"),
    dat: z.array(z.string().meta({ format: 'binary' })).min(2).describe("Each production's DAT (the manifest's loadFiles.dat), read in the manifest's settings.encoding and delimiters"),
    mode: z.enum(COMPARISON_MODES).describe('Comparison mode (any case); reproduction compares as replacement'),
  })
  .describe('multipart/form-data parts in order: manifest, dat, manifest, dat … and a mode field');

/** POST /productions/compare: Zipper's manifest comparison of uploaded productions. */
export async function productionCompareRoutes(app: FastifyInstance): Promise<void> {
  // This scope alone reads multipart bodies; JSON and anything else are a 415 here.
  app.removeAllContentTypeParsers();
  await acceptMultipart(app, app.config.maxUploadSize);
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(reply, { type: 'about:blank', title: 'Unsupported Media Type', status: 415, detail: 'send multipart/form-data: manifest and dat parts, and a mode field' });
    }
    throw error;
  });

  app.withTypeProvider<ZodTypeProvider>().post('/productions/compare', {
    config: { generates: true },
    // The body is documented, not validated: it is read part by part by the handler.
    validatorCompiler: () => (value) => ({ value }),
    schema: {
      summary: 'Compare productions (Zipper manifest comparison)',
      description:
        'Each production as a manifest part (its _manifest.json) then a dat part (its DAT), priors first, the new set last, and a mode field. Every DAT is read as it streams, in its manifest\'s encoding and delimiters; per row only Bates, control number, path, hash and volume are kept (ZIPPER_MAX_COMPARE_ROWS rows in all). Answers Zipper\'s comparison report, or with Accept: text/markdown its Markdown summary.',
      consumes: ['multipart/form-data'],
      body: multipartBody,
      response: {
        200: {
          description: 'The comparison report (JSON, streamed), or its Markdown summary with Accept: text/markdown.',
          content: {
            'application/json': { schema: comparisonReportSchema },
            'text/markdown': { schema: z.string() },
          },
        },
        400: problemResponse('A part is malformed, missing or out of order (manifest JSON, its required fields, a DAT path escaping the manifest\'s folder, a DAT without a Bates column, mode); errors[0].field names it: manifest[i], dat[i], mode.'),
        401: problemResponse('ZIPPER_API_KEYS is set and the request has no valid Authorization: Bearer key.'),
        413: problemResponse('A DAT over ZIPPER_MAX_UPLOAD_SIZE, a manifest over 1 MiB, or more rows than ZIPPER_MAX_COMPARE_ROWS; names the part.'),
        415: problemResponse('The body is not multipart/form-data.'),
      },
    },
    handler: async (request, reply) => {
      let parts: Awaited<ReturnType<typeof readParts>>;
      try {
        parts = await readParts(request, app.config.maxCompareRows, app.config.maxUploadSize);
      } catch (error) {
        if (!(error instanceof PartProblem)) throw error;
        if (!(await discardRest(request))) (reply as FastifyReply).header('Connection', 'close');
        return sendProblem(reply as FastifyReply, error.problem);
      }
      const comparison = compareProductions(parts.prior, parts.next, parts.mode, parts.manifests);
      if (wantsMarkdown(request)) {
        return (reply as FastifyReply).type('text/markdown; charset=utf-8').send(reportMarkdown(comparison, new Date()));
      }
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(Readable.from(reportJson(comparison), { objectMode: false }));
    },
  });
}

/** Uploads this small are read to their end after a problem, so the client sees the answer, not a broken pipe. */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/**
 * After a bad part: reads and drops the rest of a small upload (true), or gives up on a large one
 * (false: the answer closes the connection instead; curl and most clients read it all the same).
 */
async function discardRest(request: FastifyRequest): Promise<boolean> {
  const raw = request.raw;
  if (raw.readableEnded) return true;
  const length = Number(request.headers['content-length']);
  if (!(length <= DRAIN_LIMIT)) return false;
  raw.unpipe();
  await new Promise<void>((resolve) => {
    raw.once('end', resolve);
    raw.once('close', resolve);
    raw.resume();
  });
  return true;
}

function wantsMarkdown(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /(^|,)\s*text\/markdown\s*(;|,|$)/i.test(accept) && !/(^|,)\s*application\/json\s*(;|,|$)/i.test(accept);
}
