import type { LoadFileFormat } from '../../schemas/archive-request.js';
import type { ArchivePlan } from '../plan.js';
import { loadFileColumns, rowContexts, type DocumentSizer } from './columns.js';
import { byteOrderMark, encodeText } from './encoding.js';
import { LOAD_FILE_WRITERS } from './formats.js';

/** Row text is encoded in batches of about this many characters: few, large writes. */
const BATCH_CHARS = 64 * 1024;

/** Column names a format's header carries (none for OPT). */
export function loadFileHeader(plan: ArchivePlan, format: LoadFileFormat): string[] {
  const writer = LOAD_FILE_WRITERS[format];
  return writer.columns(loadFileColumns(plan)).map((column) => (format === 'concordance' ? column.field : column.name));
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
  onRows?: (rows: number) => void,
): Generator<Buffer> {
  const { encoding } = plan.request;
  const writer = LOAD_FILE_WRITERS[format];
  const all = loadFileColumns(plan);
  const columns = writer.columns(all);
  const bom = byteOrderMark(encoding);
  if (bom.length > 0) yield bom;
  let batch = writer.header(columns, encoding);
  let batchRows = 0;
  for (const row of rowContexts(plan, all, size, rows)) {
    batch += writer.row(row, columns);
    batchRows++;
    if (batch.length >= BATCH_CHARS) {
      yield encodeText(batch, encoding);
      onRows?.(batchRows);
      batch = '';
      batchRows = 0;
    }
  }
  batch += writer.footer();
  if (batch.length > 0) yield encodeText(batch, encoding);
  onRows?.(batchRows);
}

/** The DAT load file (the default format). */
export function datChunks(plan: ArchivePlan, size: DocumentSizer, rows = plan.count): Generator<Buffer> {
  return loadFileChunks(plan, 'dat', size, rows);
}
