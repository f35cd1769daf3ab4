import { documentSize, renderDocument } from './documents/index.js';
import { extractedText } from './documents/text.js';
import { auditFile } from './loadfile/audit.js';
import { answerKeyChunks, answerKeyName } from './chaos/answer-key.js';
import { documentAnomaly, extraName, targetChaos, withByteAnomaly } from './chaos/document-chaos.js';
import { loadFileChunks, type RowsListener } from './loadfile/writer.js';
import { SAMPLE_DIGESTS } from './loadfile/hash-columns.js';
import type { ArchiveRequest, LoadFileFormat } from './request.js';
import type { ArchivePlan, PlannedLoadFile } from './plan.js';
import { paddingBytes, paddingWindows } from './random.js';
import type { DocumentPart, FileType, PlannedDocument } from './types.js';
import { segmentsCompress, type Compression } from './zip/compress.js';

export type EntryKind = 'document' | 'text' | 'extra' | 'loadfile';

/** A file of the archive whose bytes are all in hand (documents and texts). */
export interface BufferedEntry {
  /** extra: in the archive, in no load file (chaos: doc-extra, zip-duplicate-name). */
  kind: 'document' | 'text' | 'extra';
  name: string;
  /** The document's bytes in pieces; pieces every document repeats are the same Buffer objects. */
  segments: Buffer[];
  compression: Compression;
  /** The document this entry belongs to (1-based). */
  index: number;
  /** Chaos doc-missing: listed by the load files (and hashed for them), never written. */
  absent?: boolean;
}

/** A file produced while it is written (the load file): never whole in memory. */
export interface StreamedEntry {
  kind: 'loadfile';
  name: string;
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>;
  /** Whether its size may pass 4 GiB (Zip64 sizes in its data descriptor). */
  zip64: boolean;
}

export type ArchiveEntry = BufferedEntry | StreamedEntry;

/** Types whose bytes are already compressed: deflating them again gains nothing. */
const PRECOMPRESSED: ReadonlySet<FileType> = new Set(['jpg']);

/**
 * How an entry is compressed, per the request's `compression`. auto: padded documents and JPEGs are
 * stored (incompressible), the rest goes in deflate segments when that gains anything, else stored.
 */
export function compressionOf(plan: ArchivePlan, doc: PlannedDocument, kind: 'document' | 'text', segments: Buffer[]): Compression {
  const { compression } = plan.request;
  if (compression !== 'auto') return compression;
  if (kind === 'document' && (doc.paddingBytes > 0 || PRECOMPRESSED.has(doc.type))) return 'store';
  return segmentsCompress(segments) ? 'segments' : 'store';
}

/**
 * How an entry is prepared for the archive being written: as compressionOf decided for a ZIP; stored
 * for a tar, whose entries are the bytes themselves (a tgz gzips the whole tar stream). compressionOf
 * itself stays the ZIP's: sizing pads documents for the ZIP of the request, so a tar holds the same bytes.
 */
export function archiveCompression(request: Pick<ArchiveRequest, 'format'>, compression: Compression): Compression {
  return request.format === 'zip' ? compression : 'store';
}

/** Fills a rendered document's padding holes with its seed-derived incompressible bytes. */
export function fillPadding(parts: DocumentPart[], seed: number, index: number): Buffer[] {
  if (parts.every((part) => Buffer.isBuffer(part))) return parts as Buffer[];
  const filled: Buffer[] = [];
  let skip = 0;
  for (const part of parts) {
    if (Buffer.isBuffer(part)) {
      filled.push(part);
    } else {
      filled.push(...paddingWindows(seed, index, part.padding, skip));
      skip += part.padding;
    }
  }
  return filled;
}

/** Document i's bytes, padding included. */
export function documentSegments(plan: ArchivePlan, doc: PlannedDocument): Buffer[] {
  const { seed } = plan.request;
  const fill = (length: number) => paddingBytes(seed, doc.index, length);
  return fillPadding(renderDocument(doc, { fill }), seed, doc.index);
}

/** A load file this large (uncompressed) gets Zip64 sizes: a margin below 4 GiB for the estimate. */
export const ZIP64_LOAD_FILE_BYTES = 3.5 * 2 ** 30;
export const LOAD_FILE_SAMPLE_ROWS = 256;

function loadFileMayNeedZip64(plan: ArchivePlan, format: LoadFileFormat): boolean {
  const rows = Math.min(plan.count, LOAD_FILE_SAMPLE_ROWS);
  let sampleBytes = 0;
  // Hash columns have their length whatever the bytes: the sample hashes nothing.
  for (const chunk of loadFileChunks(plan, format, documentSize, rows, undefined, SAMPLE_DIGESTS)) sampleBytes += chunk.length;
  return (sampleBytes / rows) * plan.count >= ZIP64_LOAD_FILE_BYTES;
}

/**
 * Document i's entries: the document, its text beside it, and the same for a family's attachment;
 * with chaos, the native as its anomaly leaves it (broken bytes, absent, a copy beside it, twice).
 */
export function documentEntries(plan: ArchivePlan, index: number): BufferedEntry[] {
  const entries: BufferedEntry[] = [];
  const chaos = plan.request.chaos ? targetChaos(plan) : null;
  for (const doc of plan.family(index)) {
    const segments = chaos ? withByteAnomaly(plan, doc, documentSegments(plan, doc)) : documentSegments(plan, doc);
    const native: BufferedEntry = { kind: 'document', name: doc.path, segments, compression: compressionOf(plan, doc, 'document', segments), index };
    entries.push(native);
    if (chaos) {
      const anomaly = documentAnomaly(plan, doc);
      if (anomaly === 'doc-missing') native.absent = true;
      if (anomaly === 'doc-extra') entries.push({ ...native, kind: 'extra', name: extraName(doc) });
      if (doc.attachmentOf === null && chaos.archive?.typeAt(index) === 'zip-duplicate-name') entries.push({ ...native, kind: 'extra' });
    }
    if (doc.textPath !== null) {
      const text = [Buffer.from(extractedText(doc), 'utf8')];
      entries.push({ kind: 'text', name: doc.textPath, segments: text, compression: compressionOf(plan, doc, 'text', text), index });
    }
  }
  return entries;
}

/** Every entry of the archive in order: each document with its text (and family), then the load files. */
export function* archiveEntries(plan: ArchivePlan, onLoadFileRows?: (rows: number) => void): Generator<ArchiveEntry> {
  for (let index = 1; index <= plan.count; index++) yield* documentEntries(plan, index).filter((entry) => !entry.absent);
  yield* loadFileEntries(plan, onLoadFileRows);
  yield* answerKeyEntries(plan);
}

/** With chaos, the answer key at the archive root, after everything it describes. */
export function answerKeyEntries(plan: ArchivePlan): StreamedEntry[] {
  if (!plan.request.chaos) return [];
  const chunks = answerKeyChunks(plan, plan.loadFiles.map((loadFile) => loadFile.format));
  return [{ kind: 'loadfile', name: answerKeyName(plan), chunks, zip64: false }];
}

/** A load file's bytes, given a listener that hears of its rows as they are handed on. */
export type LoadFileSource = (format: LoadFileFormat, onRows: RowsListener) => StreamedEntry['chunks'];

/**
 * The load files as streamed entries (none without includeLoadFile), each followed by its audit
 * file with withAudit (written once the load file's records are counted). `sourceOf` gives a
 * format's bytes: by default one sequential pass. `onRows` counts rows as they are handed on.
 */
export function loadFileEntries(
  plan: ArchivePlan,
  onRows?: (rows: number) => void,
  sourceOf: LoadFileSource = (format, listener) => loadFileChunks(plan, format, documentSize, plan.count, listener),
): StreamedEntry[] {
  return plan.loadFiles.flatMap(({ format, name, auditName }: PlannedLoadFile): StreamedEntry[] => {
    let records = 0;
    const loadFile: StreamedEntry = {
      kind: 'loadfile',
      name,
      chunks: sourceOf(format, (rowCount, recordCount) => {
        records += recordCount;
        onRows?.(rowCount);
      }),
      zip64: loadFileMayNeedZip64(plan, format),
    };
    if (auditName === null) return [loadFile];
    // Read when the audit entry is written, after every row of its load file.
    const audit = function* () {
      yield* auditFile(plan, format, name, records);
    };
    return [loadFile, { kind: 'loadfile', name: auditName, chunks: audit(), zip64: false }];
  });
}
