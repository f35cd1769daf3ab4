import { z } from 'zod';
import { parseByteSize } from '../generator/byte-size.js';
import { DISTRIBUTIONS } from '../generator/distribution.js';
import { ENCODINGS } from '../generator/loadfile/encoding.js';
import {
  ARCHIVE_FORMATS,
  COMPRESSIONS,
  DAT_DELIMITER_PRESETS,
  HASH_ALGORITHMS,
  HASH_MODES,
  IMAGE_TYPES,
  LINE_ENDINGS,
  LOAD_FILE_FORMATS,
  MAX_FOLDERS,
  MAX_SEED,
  MAX_TIFF_PAGES,
  requestedTypes,
  type ArchiveRequest,
} from '../generator/request.js';
import { FILE_TYPES } from '../generator/types.js';
import { pendingSourceTable } from '../generator/sources/table.js';
import type { Config } from '../config.js';
import { columnProfileField } from './column-profile.js';
import { chaosSchema } from './chaos.js';
import { SCENARIOS, typeInfo } from '../generator/chaos/catalogue.js';
import { dateFormatSchema, delimitersSchema } from './load-file-dialect.js';
import { dialectConflict, resolveDialect } from '../generator/loadfile/dialect.js';
import { productionIdProblem, productionIds } from '../generator/production/plan.js';
import { BATES_MODES, DEFAULT_VOLUME_SIZE, GAP_POLICIES, SOURCE_PATH_MODES, WITHHELD_NATIVE_POLICIES } from '../generator/production/types.js';

/** Request bodies arrive as JSON; the same fields as a query string arrive as text. */
export type FieldSource = 'json' | 'query';

/** Letters, digits and `._-`; everything else becomes `_`, and no leading dot (no hidden files). */
export function sanitizeName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
  return clean === '' ? 'archive' : clean;
}

/**
 * A query-string value: text, given once. Repeated keys arrive as an array, which gets a message of
 * its own instead of whatever the field's parser would make of it.
 */
function queryText() {
  return z.string({ error: (issue) => (Array.isArray(issue.input) ? GIVEN_TWICE : 'expected a value') });
}

const GIVEN_TWICE = 'given more than once: give each field once';

/** One of `values`; from a query string, a repeated key is named as such (the enum stays in the OpenAPI document). */
function choice<const T extends readonly [string, ...string[]]>(source: FieldSource, values: T) {
  return z.enum(values, source === 'query' ? { error: (issue) => (Array.isArray(issue.input) ? GIVEN_TWICE : undefined) } : undefined);
}

/** A text field: the same schema from JSON or from a query string, where it must be given once. */
function text<T extends z.ZodType<unknown, string>>(source: FieldSource, schema: T) {
  return source === 'json' ? schema : queryText().pipe(schema);
}

/** Decimal digits with an optional minus sign (so that range messages apply): no +, spaces, hex, exponents or leading zeros. */
const DECIMAL_INTEGER = /^(0|-?[1-9][0-9]*)$/;

function integer(source: FieldSource, min: number, max: number) {
  const range = z.number().int().min(min).max(max);
  if (source === 'json') return range;
  return queryText()
    .regex(DECIMAL_INTEGER, { message: 'expected a whole number in decimal digits, such as 100' })
    .transform(Number)
    .pipe(range);
}

/** JSON true/false; in a query string exactly `true` or `false`. */
function boolean(source: FieldSource) {
  if (source === 'json') return z.boolean();
  return queryText()
    .refine((value) => value === 'true' || value === 'false', { message: 'expected true or false' })
    .transform((value) => value === 'true');
}

function byteSize(source: FieldSource, maxBytes: number) {
  return (source === 'json' ? z.union([z.string(), z.number()]) : queryText())
    .transform((value, ctx) => {
      const bytes = parseByteSize(value);
      if (bytes === null || bytes < 1) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected a byte size such as "500MB", "1.5GB", "20MiB" or a whole number of bytes',
        });
        return z.NEVER;
      }
      if (bytes > maxBytes) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes} bytes (ZIPPER_MAX_TARGET_SIZE)` });
        return z.NEVER;
      }
      return bytes;
    });
}

/**
 * An object-valued field: JSON in a body, a JSON string in a query string (`bates={"prefix":"ABC"}`),
 * validated by the same schema either way.
 */
function objectField<T extends z.ZodType>(source: FieldSource, schema: T) {
  if (source === 'json') return schema;
  return queryText().transform((text, ctx): z.output<T> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object in the query string' });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path, message: issue.message } as never);
    return z.NEVER;
  });
}

/** Examples for the OpenAPI document: object values as the JSON text a query string carries. */
function examples(source: FieldSource, values: unknown[]): unknown[] {
  return source === 'json' ? values : values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
}

/** Control characters (C0, DEL, C1) are refused; other characters outside the safe set become `_`. */
const archiveName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, { message: 'must not contain control characters' })
  .transform(sanitizeName);

const batesSchema = z.strictObject({
  prefix: z
    .string()
    .max(40)
    .regex(/^[A-Za-z0-9_.-]*$/, { message: 'may hold only letters, digits and _-.' })
    .default('')
    .describe('Letters, digits and _-. only (anything else is a 400).'),
  start: z.number().int().min(0).max(MAX_SEED).default(1),
  digits: z.number().int().min(1).max(20).default(8),
});

/** Sets in one rolling production. */
export const MAX_ROLLING_SETS = 100;
/** Prior manifests a supplemental production is checked against. */
export const MAX_PRIOR_MANIFESTS = 100;

const productionIdSchema = z.string().superRefine((id, ctx) => {
  const problem = productionIdProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const productionSchema = z.strictObject({
  volumeSize: z.number().int().min(1).max(1_000_000).default(DEFAULT_VOLUME_SIZE).describe('Parent documents per volume folder VOL001, VOL002 … [5000]; attachments ride with their parent.'),
  id: productionIdSchema.optional().describe('First set\'s folder [PRODUCTION_001]: letters, digits, _ and -; a trailing number counts on for rolling sets.'),
  rolling: z
    .strictObject({
      count: z.number().int().min(1).max(MAX_ROLLING_SETS).default(1).describe(`Sets in the archive, 1 … ${MAX_ROLLING_SETS}, each of count documents.`),
      batesMode: z.enum(BATES_MODES).default('continuous').describe('continuous: each set numbers on from the previous one; restart: every set starts at bates.start.'),
    })
    .optional(),
  redacted: z
    .strictObject({
      withheldNativePolicy: z.enum(WITHHELD_NATIVE_POLICIES).default('keep-native').describe('What NATIVE_PATH names for a redacted document: its native, nothing, or a placeholder.'),
    })
    .optional(),
  supplemental: z
    .strictObject({
      priorManifests: z.array(z.unknown()).min(1).max(MAX_PRIOR_MANIFESTS).describe('Prior productions\' _manifest.json objects; their batesRange is checked against this production\'s.'),
      gapPolicy: z.enum(GAP_POLICIES).default('reject').describe('A hole between prior ranges and this one: reject (400) or allow (recorded in the manifest).'),
    })
    .optional(),
  sourcePathMode: z
    .enum(SOURCE_PATH_MODES)
    .optional()
    .describe('With sources [bates]: natives Bates-named in their volume (bates), Bates-named under the source folders in their volume (preserve), or at ORIGINALS/<source path> with the source name (originals).'),
});

const tiffPagesSchema = z
  .strictObject({ min: z.number().int().min(1).max(MAX_TIFF_PAGES), max: z.number().int().min(1).max(MAX_TIFF_PAGES) })
  .refine((pages) => pages.min <= pages.max, { message: 'min must not exceed max', path: ['min'] });

const fileTypesSchema = z
  .partialRecord(z.enum(FILE_TYPES), z.number().int().min(0).max(1_000_000))
  .refine((weights) => Object.values(weights).some((weight) => (weight ?? 0) > 0), { message: 'weights must not all be 0' });

/** A metadata cell of a JSON source record: text, a number or a boolean (written as text), or null (absent). */
const sourceCell = z.union([z.string().max(32_768), z.number(), z.boolean(), z.null()]);

/** A JSON source record: its path, type and identities by name, every other key a metadata column. */
export const sourceRecordSchema = z
  .object({
    filePath: z.string().max(4096).describe('Path of the file in the archive, e.g. "custodian/mail/a.eml" (sanitised as Zipper does; \\ becomes /).'),
    fileType: z.string().max(16).optional().describe('pdf, jpg, tiff, eml, docx or xlsx; absent: from the extension (.pdf .jpg .jpeg .tif .tiff .eml .docx .xlsx), which must agree when both are given.'),
    controlNumber: z.string().max(256).optional().describe("The document's control number; absent: DOC + index. Unique; none of this run's generated ones."),
    batesNumber: z.string().max(256).optional().describe("The document's Bates number (needs bates.prefix); absent: the sequence's. Unique; none of the sequence's."),
  })
  .catchall(sourceCell)
  .meta({ id: 'SourceRecord' });

/**
 * `sources` of a JSON body. The records are read into a SourceTable before this schema runs
 * (http/sources.ts, which checks them by Zipper's rules, as it does a CSV's rows); here they are
 * checked for shape and stand in as a pending table the handler swaps for the real one.
 */
function sourcesField(limits: Config['limits']) {
  return z
    .array(sourceRecordSchema)
    .max(limits.maxCount)
    .optional()
    .transform((records) => (records === undefined ? undefined : pendingSourceTable(records.length)))
    .describe(
      "A source-driven set (Zipper's --input-csv): one placeholder document per record, at its filePath, of its fileType, with its controlNumber and batesNumber (else generated); other keys are metadata that fill the columnProfile's columns of the same name. count may be left out (it must equal the records); folders, distribution, fileType, fileTypes, withFamilies and chaos do not apply; with production, production.sourcePathMode places the natives. Large lists: a CSV as multipart/form-data (part request: these fields as JSON; part sources: the CSV).",
    )
    .meta({ examples: [[{ filePath: 'alice/mail/0001.eml', controlNumber: 'ALICE-0001', Reviewed: 'Y' }, { filePath: 'alice/docs/plan.docx' }]] });
}

/**
 * The archive request, one definition for JSON bodies and query strings, bounded by the server's
 * limits. Its JSON Schema is what /openapi.json documents.
 */
export function archiveRequestSchema(limits: Config['limits'], source: FieldSource) {
  return z
    .strictObject({
      count: integer(source, 1, limits.maxCount).describe(`Number of documents, 1 … ${limits.maxCount} (ZIPPER_MAX_COUNT).`),
      fileType: choice(source, FILE_TYPES).optional().describe('Type of every document [pdf]; or use fileTypes for a mix.'),
      fileTypes: objectField(source, fileTypesSchema)
        .optional()
        .describe('A mix instead of one type: weights per type, e.g. {"pdf":70,"eml":20,"tiff":10}; counts follow the weights (largest remainder).'),
      folders: integer(source, 1, MAX_FOLDERS).default(1).describe('Number of folders folder_001 … folder_100.'),
      distribution: choice(source, DISTRIBUTIONS).default('proportional').describe("How documents spread over folders (Zipper's formulas)."),
      withMetadata: boolean(source).default(false).describe('Add Custodian, Date Sent, Author and File Size columns.'),
      withText: boolean(source).default(false).describe('Add an extracted-text .txt beside every document and an Extracted Text column.'),
      withFamilies: boolean(source).default(false).describe("An email's attachment is also a document of its own (a child of the email); BEGATTACH, ENDATTACH, PARENT_DOCID columns."),
      attachmentRate: integer(source, 0, 100).default(0).describe('Percent of emails that carry a placeholder PDF attachment (fileType eml only).'),
      targetSize: byteSize(source, limits.maxTargetSize)
        .optional()
        .describe('Pad documents so the archive lands on this size: "500MB", "1.5GB", "20MiB" or bytes (MB = 10^6, MiB = 2^20).'),
      includeLoadFile: boolean(source).default(true).describe('Put the load file at the archive root.'),
      loadFileFormat: choice(source, LOAD_FILE_FORMATS).optional().describe('Load-file format [dat]: dat, opt (Opticon), csv, edrm-xml (EDRM XML 1.2), concordance.'),
      loadFileFormats: objectField(source, z.array(z.enum(LOAD_FILE_FORMATS)).min(1).max(LOAD_FILE_FORMATS.length))
        .optional()
        .describe('Several load files at once, e.g. ["dat","opt"].'),
      bates: objectField(source, batesSchema).optional().describe('Bates numbering {prefix, start [1], digits [8]}: a Bates Number column, sequential per page.'),
      tiffPages: objectField(source, tiffPagesSchema).optional().describe('Pages per TIFF {min, max} (1–100), seeded per document: multipage CCITT G4 and a Page Count column.'),
      encoding: choice(source, ENCODINGS).default('UTF-8').describe('Load-file encoding: UTF-8 (no BOM), UTF-16 (little-endian with BOM), ANSI (Windows-1252).'),
      seed: integer(source, 0, MAX_SEED).optional().describe('Same request + same seed ⇒ byte-identical archive. Absent: the server picks one (X-Zipper-Seed).'),
      compression: choice(source, COMPRESSIONS)
        .default('auto')
        .describe('ZIP only: auto: deflate documents, store padded ones; deflate; store (documents; the load file is always deflated). With format tar or tgz only auto (the default) is taken: a tar stores every entry as it is.'),
      format: choice(source, ARCHIVE_FORMATS)
        .default('zip')
        .describe('Archive format: zip; tar (POSIX ustar, pax headers for long or non-ASCII names, uncompressed); tgz (that tar, gzipped). The same entries, names and bytes in each.'),
      name: text(source, archiveName).default('archive').describe('Base name of the archive and load file; sanitised to letters, digits and ._-'),
      columnProfile: columnProfileField(source)
        .optional()
        .describe('Columns of the DAT, CSV, Concordance and EDRM-XML load files: a built-in profile (minimal 5, standard 24, litigation 48, full 138 columns) or an inline custom profile (Zipper\'s schema).')
        .meta({ examples: examples(source, ['litigation', { name: 'review', columns: [{ name: 'DOCID', type: 'identifier', required: true }, { name: 'CUSTODIAN', type: 'text' }] }]) }),
      withCollectionMetadata: boolean(source).default(false).describe('Add Data Source, Collection Date, De-Nisted, Dedupe Group ID and Processing Status columns.'),
      dateFormat: text(source, dateFormatSchema)
        .optional()
        .describe('How date columns are written: tokens yyyy MM dd HH mm ss, separators and the literals T and Z, e.g. "yyyy-MM-dd" or "dd/MM/yyyy".')
        .meta({ examples: examples(source, ['yyyy-MM-dd', 'dd/MM/yyyy HH:mm:ss']) }),
      emptyPercentage: integer(source, 0, 100).optional().describe("0–100: optional profile columns left blank at this rate (required ones never); absent: the profile's own rates. Needs columnProfile."),
      custodianCount: integer(source, 1, 1000)
        .optional()
        .describe("Size of a profile's custodians data source (1–1000): generated names, or its values truncated; absent: the profile's own (minimal 10, standard 25, litigation 50, full 100). Needs columnProfile."),
      datDelimiters: choice(source, DAT_DELIMITER_PRESETS).default('standard').describe('DAT delimiter preset: standard (DC4 column, þ quote, ® newline) or csv (, column, " quote, space newline).'),
      delimiters: objectField(source, delimitersSchema)
        .optional()
        .describe('Delimiters over the preset {column, quote, newline, multiValue, nestedValue}, each "ascii:N" (0–255) or "char:C"; quote may be "none".')
        .meta({ examples: examples(source, [{ column: 'char:;', quote: 'none' }, { column: 'ascii:124', quote: 'char:^', multiValue: 'char:~' }]) }),
      eol: choice(source, LINE_ENDINGS).default('CRLF').describe('Line ends of the load files: CRLF, LF or CR.'),
      hashMode: choice(source, HASH_MODES).default('none').describe("none; actual: MD5/SHA-1/SHA-256 of each native's bytes as stored; simulated: seeded hex, no hashing."),
      hashAlgorithms: objectField(source, z.array(z.enum(HASH_ALGORITHMS)).min(1).max(HASH_ALGORITHMS.length))
        .optional()
        .describe('Hashes to list [["md5"]]: any of md5, sha1, sha256 (columns MD5HASH, SHA1HASH, SHA256HASH, in that order). Needs hashMode actual or simulated.')
        .meta({ examples: examples(source, [['md5', 'sha256']]) }),
      withAudit: boolean(source).default(false).describe('Put <load file>_properties.json (Zipper\'s audit schema) beside each load file.'),
      chaos: objectField(source, chaosSchema)
        .optional()
        .describe('Seeded anomalies {amount, types, scenario} with an answer key (<name>_anomalies.json): broken load-file lines in every format, broken or inconsistent documents, duplicate entry names.'),
      production: objectField(source, productionSchema)
        .optional()
        .describe('A production set (needs bates.prefix): one folder per set with DATA (DAT, OPT), NATIVES, IMAGES, TEXT by volume, Bates-named per document, _manifest.json and _validation_report.json. POST /loadfiles serves one set\'s DAT or OPT (?set=, ?loadFile=). Refused with it (a production would ignore them): columnProfile, chaos, targetSize, dateFormat, hashAlgorithms, load-file formats other than dat and opt, and any value but the default of folders, distribution, includeLoadFile, hashMode, withMetadata, withCollectionMetadata, withAudit.')
        .meta({ examples: examples(source, [{ volumeSize: 500, rolling: { count: 2, batesMode: 'continuous' } }]) }),
      // JSON bodies only (query strings have no room for records); typed as always there for the output type.
      ...((source === 'json' ? { sources: sourcesField(limits) } : {}) as { sources: ReturnType<typeof sourcesField> }),
    })
    .superRefine((request, ctx) => {
      // A source-driven set's types are its records' (checked with them, see http/sources.ts).
      const sourced = request.sources !== undefined;
      const types = sourced ? [...FILE_TYPES] : requestedTypes(request);
      if (request.fileType && request.fileTypes) {
        ctx.addIssue({ code: 'custom', path: ['fileTypes'], message: 'give fileType or fileTypes, not both' });
      }
      if (request.attachmentRate > 0 && !types.includes('eml')) {
        ctx.addIssue({ code: 'custom', path: ['attachmentRate'], message: 'attachments are only for emails (fileType "eml")' });
      }
      if (request.withFamilies && !types.includes('eml')) {
        ctx.addIssue({ code: 'custom', path: ['withFamilies'], message: 'families are emails with attachments: needs fileType "eml"' });
      }
      if (request.tiffPages && !types.includes('tiff')) {
        ctx.addIssue({ code: 'custom', path: ['tiffPages'], message: 'pages are only for TIFFs (fileType "tiff")' });
      }
      if (request.loadFileFormat && request.loadFileFormats) {
        ctx.addIssue({ code: 'custom', path: ['loadFileFormats'], message: 'give loadFileFormat or loadFileFormats, not both' });
      }
      const formats = request.loadFileFormats ?? [request.loadFileFormat ?? 'dat'];
      if (new Set(formats).size !== formats.length) {
        ctx.addIssue({ code: 'custom', path: ['loadFileFormats'], message: 'each format at most once' });
      }
      const conflict = dialectConflict(resolveDialect(request));
      if (conflict) ctx.addIssue({ code: 'custom', path: conflict.field.split('.'), message: conflict.message });
      if (request.chaos) {
        const chaos = request.chaos;
        if (chaos.scenario && chaos.types) ctx.addIssue({ code: 'custom', path: ['chaos', 'scenario'], message: 'give a scenario or types, not both' });
        const scenarioFormat = chaos.scenario ? SCENARIOS[chaos.scenario].format : null;
        if (scenarioFormat && !formats.includes(scenarioFormat)) {
          ctx.addIssue({ code: 'custom', path: ['chaos', 'scenario'], message: `breaks ${scenarioFormat} load files: none is requested (${formats.join(', ')})` });
        }
        chaos.types?.forEach((type, k) => {
          const fits = typeInfo(type).formats;
          if (fits && !fits.some((format) => formats.includes(format))) {
            ctx.addIssue({ code: 'custom', path: ['chaos', 'types', k], message: `breaks ${fits.join(' and ')} load files: none is requested (${formats.join(', ')})` });
          }
        });
      }
      if (request.hashAlgorithms && request.hashMode === 'none') {
        ctx.addIssue({ code: 'custom', path: ['hashAlgorithms'], message: 'needs hashMode "actual" or "simulated"' });
      }
      if (request.hashAlgorithms && new Set(request.hashAlgorithms).size !== request.hashAlgorithms.length) {
        ctx.addIssue({ code: 'custom', path: ['hashAlgorithms'], message: 'each algorithm at most once' });
      }
      if (request.emptyPercentage !== undefined && !request.columnProfile) {
        ctx.addIssue({ code: 'custom', path: ['emptyPercentage'], message: 'blanks optional profile columns: needs columnProfile' });
      }
      if (request.format !== 'zip' && request.compression !== 'auto') {
        ctx.addIssue({ code: 'custom', path: ['compression'], message: `compresses ZIP entries: a ${request.format} stores every entry as it is (tgz gzips the whole tar); leave it out` });
      }
      if (request.production) productionProblems(request, limits, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
      if (request.custodianCount !== undefined && !request.columnProfile && !request.production) {
        ctx.addIssue({ code: 'custom', path: ['custodianCount'], message: "sizes a profile's custodians pool: needs columnProfile" });
      }
      if (request.columnProfile && request.withMetadata) {
        ctx.addIssue({ code: 'custom', path: ['withMetadata'], message: 'columnProfile sets the columns: give columnProfile or withMetadata, not both' });
      }
      if (request.columnProfile && formats.every((format) => format === 'opt')) {
        ctx.addIssue({ code: 'custom', path: ['columnProfile'], message: 'profiles set the columns of dat, csv, concordance and edrm-xml load files; opt has none' });
      }
      // A family's attachments are PDF documents of their own: OPT lists them.
      const attachedPdfs = request.withFamilies && request.attachmentRate > 0;
      // A production's OPT lists a TIFF per page of every document, whatever its type.
      if (!sourced && !request.production && formats.includes('opt') && !types.some((type) => IMAGE_TYPES.includes(type)) && !attachedPdfs) {
        ctx.addIssue({
          code: 'custom',
          path: [request.loadFileFormats ? 'loadFileFormats' : 'loadFileFormat'],
          message: 'opt lists images: needs pdf, jpg or tiff documents (or emails whose attachments are documents: withFamilies and attachmentRate)',
        });
      }
    });
}

/** Fields a production cannot take (yet) or would ignore, and what it needs: each reported at its own path. */
function productionProblems(request: ArchiveRequest, limits: Config['limits'], report: (path: Array<string | number>, message: string) => void): void {
  const production = request.production!;
  if (!request.bates?.prefix) report(['bates', 'prefix'], 'a production names its files by Bates number: give bates.prefix');
  if (request.columnProfile) report(['columnProfile'], 'a production writes its own DAT columns: columnProfile is not supported with production');
  if (request.chaos) report(['chaos'], 'chaos is not supported with production (yet)');
  if (request.targetSize !== undefined) report(['targetSize'], 'production natives are not padded: targetSize is not supported with production');
  if (request.sources === undefined && production.sourcePathMode !== undefined) {
    report(['production', 'sourcePathMode'], 'places the natives of a source-driven production: give sources, or leave sourcePathMode out');
  }
  if (request.sources !== undefined && (production.rolling?.count ?? 1) > 1) {
    report(['production', 'rolling', 'count'], 'a source-driven production is one set, of its records: rolling sets are not supported with sources');
  }
  // Fields a production would ignore. Their defaults describe what a production does (its own
  // layout, its load files written, no hashes, audit or metadata columns): spelling a default out is
  // the same request as leaving it out (resolve.ts gives both one ETag), so only other values are refused.
  const layout = 'a production lays out its own folders (one per set; NATIVES, IMAGES, TEXT in volumes of production.volumeSize)';
  if (request.folders !== 1) report(['folders'], `${layout}: folders is not supported with production`);
  if (request.distribution !== 'proportional') report(['distribution'], `${layout}: distribution is not supported with production`);
  if (!request.includeLoadFile) report(['includeLoadFile'], 'every production set writes its DAT and OPT (DATA/): includeLoadFile false is not supported with production');
  const others = (request.loadFileFormats ?? (request.loadFileFormat ? [request.loadFileFormat] : [])).filter((format) => format !== 'dat' && format !== 'opt');
  if (others.length > 0) {
    report([request.loadFileFormats ? 'loadFileFormats' : 'loadFileFormat'], `production sets write DAT and OPT load files: ${others.join(', ')} is not supported with production`);
  }
  const columns = 'a production writes its own DAT columns (CUSTODIAN, DATE_CREATED as yyyy-MM-dd, FILE_SIZE always; no hashes, as Zipper)';
  if (request.hashMode !== 'none') report(['hashMode'], `${columns}: hashMode is not supported with production`);
  // With hashMode none, hashAlgorithms is already refused for needing a hashMode.
  if (request.hashAlgorithms && request.hashMode !== 'none') report(['hashAlgorithms'], `${columns}: hashAlgorithms is not supported with production`);
  if (request.withMetadata) report(['withMetadata'], `${columns}: withMetadata is not supported with production`);
  if (request.withCollectionMetadata) report(['withCollectionMetadata'], `${columns}: withCollectionMetadata is not supported with production`);
  if (request.dateFormat !== undefined) report(['dateFormat'], `${columns}: dateFormat is not supported with production`);
  if (request.withAudit) report(['withAudit'], 'production sets write no _properties.json audit sidecars (yet): withAudit is not supported with production');
  const sets = production.rolling?.count ?? 1;
  if (request.count * sets > limits.maxCount) {
    report(['production', 'rolling', 'count'], `${sets} sets of ${request.count} documents are ${request.count * sets}, over ZIPPER_MAX_COUNT (${limits.maxCount})`);
  }
  if (production.id !== undefined && productionIdProblem(production.id) === null) {
    const derived = productionIds(production.id, sets).find((id) => productionIdProblem(id) !== null);
    if (derived) report(['production', 'id'], `the rolling set id ${derived.length > 40 ? `${derived.slice(0, 40)}…` : derived} it leads to ${productionIdProblem(derived)}`);
  }
}

/**
 * The validated request, as the generator takes it (a compile-time check that the two agree) but
 * for `sources`: records here, a SourceTable there (http/sources.ts builds it from the records or the CSV).
 */
export type ValidatedRequest = z.output<ReturnType<typeof archiveRequestSchema>>;
const agrees: (request: ValidatedRequest) => ArchiveRequest = (request) => request;
void agrees;
