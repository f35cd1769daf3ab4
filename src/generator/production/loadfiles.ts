/**
 * A production set's load files as chunks made while the archive reads them: the DAT (production
 * columns through the ordinary DAT writer) and the OPT, every row and line checked by the set's
 * validator and counted as written; and one set's DAT or OPT alone (setLoadFileChunks, POST /loadfiles).
 */
import { documentSize } from '../documents/index.js';
import { byteOrderMark, encodeText } from '../loadfile/encoding.js';
import { loadFileWriter } from '../loadfile/writer.js';
import type { RowContext } from '../loadfile/columns.js';
import { productionColumns, productionOptLines } from './columns.js';
import { countRow, emptyCounts, type ProductionCounts } from './manifest.js';
// Used when a chunk generator runs, not while the modules load (entries.ts imports this module).
import { ProductionValidationError } from './entries.js';
import type { ProductionPlan, ProductionSet } from './plan.js';
import { SetValidator } from './validate.js';

/** Rows or lines encoded per chunk. */
const ROWS_PER_CHUNK = 512;

export function* datChunks(plan: ProductionPlan, set: ProductionSet, written: ProductionCounts, validator: SetValidator): Generator<Buffer> {
  const { encoding } = plan.request;
  const writer = loadFileWriter(plan.archive, 'dat');
  const columns = writer.columns(productionColumns(plan));
  yield Buffer.concat([byteOrderMark(encoding), encodeText(writer.header(columns, encoding), encoding)]);
  let text = '';
  let rows = 0;
  let line = 1;
  for (const record of plan.setRecords(set)) {
    const row: RowContext = { doc: record.doc, size: (doc) => documentSize(doc), bates: null, production: record };
    validator.datRow(
      columns.map((column) => column.value(row)),
      ++line,
    );
    text += writer.row(row, columns);
    countRow(written, record, 0);
    if (++rows % ROWS_PER_CHUNK === 0) {
      yield encodeText(text, encoding);
      text = '';
    }
  }
  if (text !== '') yield encodeText(text, encoding);
}

export function* optChunks(plan: ProductionPlan, set: ProductionSet, written: ProductionCounts, validator: SetValidator): Generator<Buffer> {
  const { encoding } = plan.request;
  const eol = plan.request.eol === 'LF' ? '\n' : plan.request.eol === 'CR' ? '\r' : '\r\n';
  // UTF-16 starts with its byte-order mark, as the DAT and every other load file do.
  const mark = byteOrderMark(encoding);
  if (mark.length > 0) yield mark;
  let text = '';
  let line = 0;
  for (const record of plan.setRecords(set)) {
    for (const optLine of productionOptLines(record)) {
      validator.optLine(optLine.split(','), ++line);
      text += optLine + eol;
      written.optLines++;
    }
    if (text.length >= 64 * 1024) {
      yield encodeText(text, encoding);
      text = '';
    }
  }
  if (text !== '') yield encodeText(text, encoding);
}

/** The load files a production set holds (its DATA folder). */
export const SET_LOAD_FILES = ['dat', 'opt'] as const;
export type SetLoadFile = (typeof SET_LOAD_FILES)[number];

/**
 * One set's DAT or OPT alone (POST /loadfiles), the same chunks the archive's entry is made of, so
 * the bytes are the entry's. Its rows are checked as the archive checks them: after the last chunk,
 * a failed check throws (the reader sees a broken transfer, not a file that looks complete), as the
 * archive's report entry does. `onRows` hears of the DAT rows or OPT lines each chunk carries.
 */
export function* setLoadFileChunks(
  plan: ProductionPlan,
  set: ProductionSet,
  format: SetLoadFile,
  onRows?: (rows: number) => void,
  validator = new SetValidator(
    productionColumns(plan).map((column) => column.name),
    plan.loadFiles,
  ),
): Generator<Buffer> {
  const written = emptyCounts();
  const counted = () => (format === 'dat' ? written.rows : written.optLines);
  let heard = 0;
  for (const chunk of format === 'dat' ? datChunks(plan, set, written, validator) : optChunks(plan, set, written, validator)) {
    onRows?.(counted() - heard);
    heard = counted();
    yield chunk;
  }
  if (validator.errorCount > 0) {
    const report = validator.report(written);
    throw new ProductionValidationError(`production ${set.id}: its ${format.toUpperCase()} failed its validation: ${report.errorCount} errors (${report.findings[0]?.message ?? ''})`);
  }
}
