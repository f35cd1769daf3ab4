import type { LoadFileFormat } from '../request.js';
import type { ArchivePlan } from '../plan.js';
import { loadFileColumns, rowContexts, type DocumentSizer } from './columns.js';
import { byteOrderMark, encodeText } from './encoding.js';
import { resolveDialect } from './dialect.js';
import { LOAD_FILE_WRITERS, type LoadFileWriter } from './formats.js';
import { withGivenDigests, type GivenDigests } from './hash-columns.js';
import { loadFileChaos, type LoadFileChaos } from '../chaos/loadfile-chaos.js';
import { reportedSize, targetChaos } from '../chaos/document-chaos.js';

/** Row text is encoded in batches of about this many characters: few, large writes. */
const BATCH_CHARS = 64 * 1024;

/** A format's writer in the request's dialect. */
export function loadFileWriter(plan: ArchivePlan, format: LoadFileFormat): LoadFileWriter {
  return LOAD_FILE_WRITERS[format](resolveDialect(plan.request));
}

/** Hears of encoded rows: how many, and the records they add (OPT: image lines). */
export type RowsListener = (rows: number, records: number) => void;

/** Column names a format's header carries (none for OPT). */
export function loadFileHeader(plan: ArchivePlan, format: LoadFileFormat): string[] {
  const writer = loadFileWriter(plan, format);
  return writer.columns(loadFileColumns(plan)).map((column) => (format === 'concordance' ? column.field : format === 'csv' ? (column.csvName ?? column.name) : column.name));
}

/** The chaos breaking lines of this load file, or null (`columns`: its column count, when the caller has the columns). */
export function chaosOf(plan: ArchivePlan, format: LoadFileFormat, total?: number, columns = () => loadFileHeader(plan, format).length): LoadFileChaos | null {
  return plan.request.chaos ? loadFileChaos(plan, format, columns, total) : null;
}

/**
 * Text of `records` lines (each ending with the line end), the first being target `first`, with
 * the chaos's broken lines applied: text pieces, and raw bytes where an encoding anomaly goes.
 */
function breakLines(text: string, records: number, first: number, chaos: LoadFileChaos): Array<string | Buffer> {
  const eol = chaos.dialect.eol;
  const lines = text.slice(0, -eol.length).split(eol);
  if (lines.length !== records) throw new Error(`chaos: ${records} records but ${lines.length} lines`);
  const pieces: Array<string | Buffer> = [];
  let pending = '';
  lines.forEach((line, k) => {
    const type = chaos.typeAt(first + k);
    if (type === null) {
      pending += line + eol;
      return;
    }
    const broken = chaos.apply(first + k, type, line);
    pending += broken.text + eol;
    if (broken.after) {
      pieces.push(pending, broken.after);
      pending = '';
    }
  });
  if (pending !== '') pieces.push(pending);
  return pieces;
}

/** Byte-order mark and header, encoded: what comes before the first row. */
export function loadFileHead(plan: ArchivePlan, format: LoadFileFormat): Buffer {
  const { encoding } = plan.request;
  const writer = loadFileWriter(plan, format);
  const columns = writer.columns(loadFileColumns(plan));
  const header = writer.header(columns, encoding);
  const chaos = chaosOf(plan, format, undefined, () => columns.length);
  // The header is the first target of a format that has one (DAT, Concordance, CSV).
  const pieces = chaos && chaos.targetOfRecord(0) === 1 ? breakLines(header, 1, 0, chaos) : [header];
  return Buffer.concat([byteOrderMark(encoding), ...pieces.map((piece) => (typeof piece === 'string' ? encodeText(piece, encoding) : piece))]);
}

/** What comes after the last row, encoded. */
export function loadFileFoot(plan: ArchivePlan, format: LoadFileFormat): Buffer {
  return encodeText(loadFileWriter(plan, format).footer(), plan.request.encoding);
}

/**
 * The rows of documents from … to − 1 (a family's attachment rows with its parent), encoded in
 * batches of about BATCH_CHARS characters; `onRows` hears of a batch's rows just before it is
 * yielded. Bates numbers run over pages from the first document, so with bates a range must start
 * at document 1.
 */
export function* loadFileRows(
  plan: ArchivePlan,
  format: LoadFileFormat,
  size: DocumentSizer,
  from: number,
  to: number,
  onRows?: RowsListener,
  digests?: GivenDigests,
  /** With chaos, from > 1: the records before document `from` and the file's lines that can break. */
  chaosPosition?: { firstRecord: number; total: number },
): Generator<Buffer> {
  const { encoding } = plan.request;
  const writer = loadFileWriter(plan, format);
  // With digests given (hashed where the documents were rendered), hash columns take them.
  const current = { row: -1 };
  const all = digests ? withGivenDigests(plan, loadFileColumns(plan), digests, current) : loadFileColumns(plan);
  const columns = writer.columns(all);
  const chaos = chaosOf(plan, format, chaosPosition?.total, () => columns.length);
  if (chaos && from !== 1 && chaosPosition === undefined) throw new Error('loadFileRows: chaos needs the records before document from');
  let record = chaosPosition?.firstRecord ?? 0;
  let batch = '';
  let batchRows = 0;
  let batchRecords = 0;
  // With chaos, File Size is the native's size as broken (or a doc-size-mismatch's wrong one).
  const sizeOf: DocumentSizer = plan.request.chaos && targetChaos(plan).document ? (doc) => reportedSize(plan, doc, size) : size;
  for (const row of rowContexts(plan, all, sizeOf, from, to, writer.needsDocument)) {
    current.row++;
    const text = writer.row(row, columns);
    const records = writer.records(row);
    batchRows++;
    batchRecords += records;
    if (chaos && records > 0 && chaos.anyBroken(chaos.targetOfRecord(record), records)) {
      for (const piece of breakLines(text, records, chaos.targetOfRecord(record), chaos)) {
        if (typeof piece === 'string') {
          batch += piece;
        } else {
          // Raw bytes between lines: what is written so far goes first.
          yield encodeText(batch, encoding);
          batch = '';
          yield piece;
        }
      }
    } else {
      batch += text;
    }
    record += records;
    if (batch.length >= BATCH_CHARS) {
      const chunk = encodeText(batch, encoding);
      onRows?.(batchRows, batchRecords);
      batch = '';
      batchRows = 0;
      batchRecords = 0;
      yield chunk;
    }
  }
  // Rows that write nothing (OPT's non-image documents) still count.
  if (batchRows > 0) onRows?.(batchRows, batchRecords);
  if (batch.length > 0) yield encodeText(batch, encoding);
}

/**
 * A load file as encoded chunks: byte-order mark, header, one row per document, footer. Rows are
 * produced as they are consumed, never the whole file in memory. `rows` stops early (sampling).
 */
export function* loadFileChunks(
  plan: ArchivePlan,
  format: LoadFileFormat,
  size: DocumentSizer,
  rows = plan.count,
  onRows?: RowsListener,
  digests?: GivenDigests,
): Generator<Buffer> {
  yield loadFileHead(plan, format);
  yield* loadFileRows(plan, format, size, 1, rows + 1, onRows, digests);
  const foot = loadFileFoot(plan, format);
  if (foot.length > 0) yield foot;
}

/** The DAT load file (the default format). */
export function datChunks(plan: ArchivePlan, size: DocumentSizer, rows = plan.count): Generator<Buffer> {
  return loadFileChunks(plan, 'dat', size, rows);
}
