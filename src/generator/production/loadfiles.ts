/**
 * A production set's load files as chunks made while the archive reads them: the DAT (production
 * columns through the ordinary DAT writer) and the OPT, every row and line checked by the set's
 * validator and counted as written.
 */
import { documentSize } from '../documents/index.js';
import { byteOrderMark, encodeText } from '../loadfile/encoding.js';
import { loadFileWriter } from '../loadfile/writer.js';
import type { RowContext } from '../loadfile/columns.js';
import { productionColumns, productionOptLines } from './columns.js';
import { countRow, type ProductionCounts } from './manifest.js';
import type { ProductionPlan, ProductionSet } from './plan.js';
import type { SetValidator } from './validate.js';

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
