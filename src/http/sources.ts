/**
 * Source-driven sets over HTTP: `sources` as JSON records in the body, or a CSV streamed as the
 * `sources` part of a multipart/form-data request whose `request` part holds the JSON fields.
 *
 * A preValidation hook reads the records into a SourceTable (a spill file, see
 * generator/sources/table.ts) before the body schema runs, then validates the fields with the same
 * schema, so one 400 names every bad field and every broken rule of every record (up to
 * MAX_SOURCE_PROBLEMS), before any byte of an archive. The handler takes the table with
 * `requestWithSources`; it is removed when the response closes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import { parse } from 'csv-parse';
import type { z } from 'zod';
import type { ArchiveRequest, SourceTable } from '../generator/request.js';
import { IMAGE_TYPES, MAX_TIFF_PAGES } from '../generator/request.js';
import { headerKey, headerRole, type SourceRole } from '../generator/sources/rules.js';
import { closeSourceReader, removeSourceTable, SourceTableBuilder, type SourceContext } from '../generator/sources/table.js';
import type { FileType } from '../generator/types.js';
import { zodFieldErrors } from '../plugins/app/problem-details.js';
import { invalidRequest, sendProblem, type FieldError } from './problems.js';
import { isJsonObject } from '../generator/json-object.js';

const tables = new WeakMap<FastifyRequest, SourceTable>();

/** The validated fields with the request's source table in place of the pending one. */
export function requestWithSources(request: FastifyRequest, fields: ArchiveRequest): ArchiveRequest {
  if (fields.sources === undefined) return fields;
  const table = tables.get(request);
  if (!table) throw new Error('sources validated without a table');
  return { ...fields, sources: table };
}

export interface SourcesOptions {
  schema: z.ZodType;
  maxCount: number;
  tempDir: string;
}

type Raw = Record<string, unknown>;

/** The preValidation hook of a route that takes sources (POST /archives, /archives/plan, /loadfiles). */
export function sourcesHook(options: SourcesOptions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const multipart = request.isMultipart?.() === true;
    const body = request.body;
    if (!multipart && !(isJsonObject(body) && Array.isArray(body.sources))) return;
    const errors: FieldError[] = [];
    let fields: Raw | null = null;
    let builder: SourceTableBuilder | null = null;
    let columnOf: (record: number, column: SourceRole) => string = (record, column) => `sources[${record}].${column}`;
    try {
      if (multipart) {
        const read = await readMultipart(request, options, errors);
        fields = read.fields;
        builder = read.builder;
        if (read.headers) {
          const headers = read.headers;
          columnOf = (record, column) => `sources[row ${record + 1}].${headers[column] ?? column}`;
        }
      } else {
        fields = { ...(body as Raw) };
        builder = readJsonRecords(fields.sources as unknown[], fields, options, errors);
      }
      if (fields === null) return void sendProblem(reply, invalidRequest(errors));
      let table: SourceTable | null = null;
      let countFromRecords = false;
      if (builder) {
        const records = builder.records;
        const finished = builder.finish();
        if (finished.ok) table = finished.table;
        else for (const problem of finished.problems) errors.push({ field: columnOf(problem.record, problem.column), message: problem.message });
        if (records === 0) errors.push({ field: 'sources', message: 'holds no records: give at least one' });
        if (fields.count === undefined) {
          fields.count = records;
          countFromRecords = true;
        }
        else if (fields.count !== records) errors.push({ field: 'count', message: `is ${String(fields.count)} but sources hold ${records} records: leave count out, or make it match` });
        // The schema checks the records' shape (JSON) and stands a pending table in for them.
        if (multipart) fields.sources = [];
      }
      const parsed = options.schema.safeParse(fields);
      // A count taken from no records is the sources' error (named above), not count's.
      const schemaErrors = parsed.success ? [] : zodFieldErrors(parsed.error.issues as never).filter((error) => !(countFromRecords && error.field === 'count'));
      errors.push(...schemaErrors);
      // A field the schema names already (folders 0) needs no second message.
      errors.push(...fieldProblems(fields, table, Boolean(builder)).filter((problem) => !schemaErrors.some((error) => error.field === problem.field)));
      if (errors.length > 0) {
        if (table) removeSourceTable(table);
        return void sendProblem(reply, invalidRequest(errors));
      }
      if (table) {
        tables.set(request, table);
        const done = table;
        reply.raw.once('close', () => {
          closeSourceReader(done);
          removeSourceTable(done);
        });
      }
      request.body = fields;
    } catch (error) {
      builder?.remove();
      throw error;
    }
  };
}

/** What the identity rules need, from fields not yet validated (bad values are the schema's to name). */
function sourceContext(fields: Raw): SourceContext {
  const bates = isJsonObject(fields.bates) ? fields.bates : null;
  const prefix = typeof bates?.prefix === 'string' ? bates.prefix : '';
  const start = typeof bates?.start === 'number' && Number.isSafeInteger(bates.start) ? bates.start : 1;
  const digits = typeof bates?.digits === 'number' && Number.isSafeInteger(bates.digits) ? bates.digits : 8;
  const pages = isJsonObject(fields.tiffPages) && typeof fields.tiffPages.max === 'number' ? Math.min(MAX_TIFF_PAGES, Math.max(1, fields.tiffPages.max)) : 1;
  return { bates: bates ? { prefix, start, digits } : undefined, maxTiffPages: pages, withText: fields.withText === true, production: fields.production !== undefined };
}

/** A metadata cell of a JSON record as text ('' = absent). */
function cellText(value: unknown): string {
  return value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value);
}

const ROLES: readonly SourceRole[] = ['filePath', 'fileType', 'controlNumber', 'batesNumber'];

/** JSON records into a builder: keys other than the four are metadata columns (the union of every record's, first seen first). */
function readJsonRecords(records: unknown[], fields: Raw, options: SourcesOptions, errors: FieldError[]): SourceTableBuilder | null {
  if (records.length > options.maxCount) return null; // the schema names it
  const columns: string[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, k) => {
    if (!isJsonObject(record)) return;
    for (const key of Object.keys(record)) {
      if ((ROLES as readonly string[]).includes(key) || seen.has(key)) continue;
      const role = headerRole(key);
      if (role) {
        errors.push({ field: `sources[${k}].${key}`, message: `is another name of ${role}: give it as "${role}"` });
        continue;
      }
      seen.set(key, columns.length);
      columns.push(key);
    }
  });
  const builder = new SourceTableBuilder(options.tempDir, columns, sourceContext(fields));
  for (const record of records) {
    if (!isJsonObject(record) || typeof record.filePath !== 'string') {
      // Its shape is the schema's to name; it still takes its place, so later records keep their numbers.
      const before = builder.problems.length;
      builder.add({ filePath: '', values: [] });
      builder.problems.length = before;
      continue;
    }
    const text = (key: SourceRole) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
    builder.add({
      filePath: record.filePath,
      fileType: text('fileType'),
      controlNumber: text('controlNumber'),
      batesNumber: text('batesNumber'),
      values: columns.map((column) => cellText(record[column])),
    });
  }
  return builder;
}

interface MultipartRead {
  fields: Raw | null;
  builder: SourceTableBuilder | null;
  /** The CSV's header text of each role, for naming columns in errors. */
  headers: Partial<Record<SourceRole, string>> | null;
}

/** The `request` part (JSON fields) then the `sources` part (CSV), streamed; anything else is an error. */
async function readMultipart(request: FastifyRequest, options: SourcesOptions, errors: FieldError[]): Promise<MultipartRead> {
  const read: MultipartRead = { fields: null, builder: null, headers: null };
  let sawSources = false;
  for await (const part of request.parts()) {
    if (part.fieldname === 'request' && part.type === 'field') {
      if (read.fields !== null) {
        errors.push({ field: 'request', message: 'given more than once: send one request part' });
        continue;
      }
      const text = typeof (part as MultipartValue).value === 'string' ? ((part as MultipartValue).value as string) : '';
      try {
        const value: unknown = JSON.parse(text);
        if (isJsonObject(value)) read.fields = value;
        else errors.push({ field: 'request', message: 'must be a JSON object of the archive fields' });
      } catch (error) {
        errors.push({ field: 'request', message: `is not valid JSON: ${(error as Error).message}` });
      }
      continue;
    }
    if (part.fieldname === 'sources') {
      if (sawSources) {
        errors.push({ field: 'sources', message: 'given more than once: send one CSV' });
        if (part.type === 'file') await drain(part);
        continue;
      }
      sawSources = true;
      if (read.fields === null) {
        errors.push({ field: 'sources', message: 'came before the request part: send the request part (the JSON fields) first, then the CSV' });
        if (part.type === 'file') await drain(part);
        continue;
      }
      if (read.fields.sources !== undefined) errors.push({ field: 'sources', message: 'given both in the request part and as a CSV: give one' });
      const input = part.type === 'file' ? part.file : [Buffer.from(String((part as MultipartValue).value ?? ''))];
      await readCsv(input, read, options, errors);
      if (part.type === 'file') await drain(part);
      continue;
    }
    errors.push({ field: part.fieldname, message: 'is not a known part: send request (the JSON fields) and sources (the CSV)' });
    if (part.type === 'file') await drain(part);
  }
  if (read.fields === null && !errors.some((error) => error.field === 'request')) errors.push({ field: 'request', message: 'is missing: send the JSON fields as a part named request' });
  if (!sawSources && read.fields !== null) errors.push({ field: 'sources', message: 'is missing: send the CSV as a part named sources (or the records as JSON, without multipart)' });
  if (errors.length > 0) {
    read.builder?.remove();
    return { fields: null, builder: null, headers: null };
  }
  return read;
}

async function drain(part: MultipartFile): Promise<void> {
  part.file.resume();
  if (!part.file.readableEnded) await new Promise<void>((resolve) => part.file.once('end', resolve).once('error', () => resolve()));
}

/**
 * The CSV, record by record, into a builder: RFC 4180 quoting, a BOM tolerated, blank lines
 * skipped, unquoted cells trimmed. Headers by Zipper's aliases; a header given twice (as it
 * matches), or two aliases of one role, is an error; FilePath is required.
 */
async function readCsv(input: AsyncIterable<Buffer> | Iterable<Buffer>, read: MultipartRead, options: SourcesOptions, errors: FieldError[]): Promise<void> {
  const parser = parse({ bom: true, skip_empty_lines: true, trim: true, relax_quotes: false, max_record_size: 1024 * 1024 });
  // Once the parser stops (an error, too many rows or problems) the rest of the upload is read and
  // dropped, so that the multipart stream reaches its end and the 400 can be sent.
  const waitForParser = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        parser.off('drain', done).off('close', done);
        resolve();
      };
      parser.once('drain', done).once('close', done);
    });
  const feeding = (async () => {
    try {
      for await (const chunk of input) {
        if (parser.destroyed || parser.writableEnded) continue;
        if (!parser.write(chunk)) await waitForParser();
      }
      if (!parser.destroyed) parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  let roles: Map<SourceRole, number> | null = null;
  let metadata: number[] = [];
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (roles === null) {
        const header = headerRoles(record, errors);
        if (header === null) break;
        roles = header.roles;
        metadata = header.metadata;
        read.headers = Object.fromEntries([...roles].map(([role, k]) => [role, record[k]!]));
        read.builder = new SourceTableBuilder(options.tempDir, metadata.map((k) => record[k]!), sourceContext(read.fields!));
        continue;
      }
      rows++;
      if (rows > options.maxCount) {
        errors.push({ field: 'sources', message: `holds more than ${options.maxCount} rows (ZIPPER_MAX_COUNT)` });
        break;
      }
      const cell = (role: SourceRole) => {
        const k = roles!.get(role);
        return k === undefined ? undefined : record[k];
      };
      read.builder!.add({
        filePath: cell('filePath') ?? '',
        fileType: cell('fileType'),
        controlNumber: cell('controlNumber'),
        batesNumber: cell('batesNumber'),
        values: metadata.map((k) => record[k] ?? ''),
      });
      if (read.builder!.full) break;
    }
  } catch (error) {
    const failure = error as Error & { code?: string; lines?: number; records?: number };
    if (failure.code === 'FST_REQ_FILE_TOO_LARGE') errors.push({ field: 'sources', message: `is larger than the upload limit (ZIPPER_MAX_UPLOAD_SIZE)` });
    else errors.push({ field: 'sources', message: `is not valid CSV${failure.lines ? ` (line ${failure.lines})` : ''}: ${failure.message}` });
  }
  if (roles === null && !errors.some((error) => error.field.startsWith('sources'))) errors.push({ field: 'sources', message: 'is empty: the CSV needs a header row (FilePath, …) and a row per file' });
  parser.destroy();
  await feeding.catch(() => undefined);
}

/** Roles of the header's columns (by Zipper's aliases) and the metadata columns; null after reporting a broken header. */
function headerRoles(header: string[], errors: FieldError[]): { roles: Map<SourceRole, number>; metadata: number[] } | null {
  const roles = new Map<SourceRole, number>();
  const metadata: number[] = [];
  const keys = new Map<string, number>();
  let broken = false;
  header.forEach((name, k) => {
    const key = headerKey(name);
    if (key === '') {
      errors.push({ field: `sources[header].${k + 1}`, message: 'is an empty column name: name every column' });
      broken = true;
      return;
    }
    const before = keys.get(key);
    if (before !== undefined) {
      errors.push({ field: `sources[header].${name}`, message: `repeats column ${before + 1} ("${header[before]}") as headers match (case, spaces, _ and - ignored)` });
      broken = true;
      return;
    }
    keys.set(key, k);
    const role = headerRole(name);
    if (role === null) {
      metadata.push(k);
      return;
    }
    const other = roles.get(role);
    if (other !== undefined) {
      errors.push({ field: `sources[header].${name}`, message: `is another name of ${role}, which "${header[other]}" already gives: keep one` });
      broken = true;
      return;
    }
    roles.set(role, k);
  });
  if (!roles.has('filePath')) {
    errors.push({ field: 'sources[header]', message: `has no FilePath column (headers: ${header.join(', ')})` });
    broken = true;
  }
  return broken ? null : { roles, metadata };
}

/** Rules between sources and the other fields, each at the field it names. */
function fieldProblems(fields: Raw, table: SourceTable | null, sourced: boolean): FieldError[] {
  if (!sourced) return [];
  const errors: FieldError[] = [];
  const types = 'the types come from the sources (fileType or the extension)';
  if (fields.fileType !== undefined) errors.push({ field: 'fileType', message: `${types}: fileType is not supported with sources` });
  if (fields.fileTypes !== undefined) errors.push({ field: 'fileTypes', message: `${types}: fileTypes is not supported with sources` });
  const paths = 'each document goes at its source path';
  if (fields.folders !== undefined && fields.folders !== 1) errors.push({ field: 'folders', message: `${paths}: folders is not supported with sources` });
  if (fields.distribution !== undefined && fields.distribution !== 'proportional') errors.push({ field: 'distribution', message: `${paths}: distribution is not supported with sources` });
  if (fields.withFamilies === true) errors.push({ field: 'withFamilies', message: 'attachments as documents of their own would need paths the sources do not give: withFamilies is not supported with sources' });
  if (fields.chaos !== undefined) errors.push({ field: 'chaos', message: 'chaos is not supported with sources (yet)' });
  if (!table) return errors;
  const present = Object.keys(table.typeCounts) as FileType[];
  if (typeof fields.attachmentRate === 'number' && fields.attachmentRate > 0 && !present.includes('eml')) {
    errors.push({ field: 'attachmentRate', message: 'attachments are only for emails: the sources hold none (.eml)' });
  }
  if (fields.tiffPages !== undefined && !present.includes('tiff')) errors.push({ field: 'tiffPages', message: 'pages are only for TIFFs: the sources hold none (.tif, .tiff)' });
  const formats = Array.isArray(fields.loadFileFormats) ? fields.loadFileFormats : [fields.loadFileFormat ?? 'dat'];
  // A production images every document: its OPT lists them whatever their types.
  if (formats.includes('opt') && fields.production === undefined && !present.some((type) => IMAGE_TYPES.includes(type))) {
    errors.push({ field: Array.isArray(fields.loadFileFormats) ? 'loadFileFormats' : 'loadFileFormat', message: 'opt lists images: the sources hold no pdf, jpg or tiff' });
  }
  return errors;
}
