/**
 * A production set's DAT rows or OPT lines for a range of positions, encoded, checked and counted
 * where they are made (a worker, or the calling thread): the set's validator merges the ranges'
 * checks in order (validate.ts), and the set's tallies add their counts when their bytes are handed on.
 */
import { documentSize } from '../documents/index.js';
import { resolveDialect } from '../loadfile/dialect.js';
import { encodeText } from '../loadfile/encoding.js';
import type { RowContext } from '../loadfile/columns.js';
import { loadFileWriter } from '../loadfile/writer.js';
import type { ResolvedRequest } from '../request.js';
import { cachedProductionPlan } from './batch.js';
import { optLines, productionColumns } from './columns.js';
import { countReferences, countRow, emptyCounts, type ProductionCounts } from './manifest.js';
import type { ProductionPlan } from './plan.js';
import { LineChecker, type LineChecks, type LoadFileKind } from './validate.js';

export interface ProductionRowsTask {
  request: ResolvedRequest;
  /** The set's 1-based sequence. */
  set: number;
  file: LoadFileKind;
  from: number;
  to: number;
}

export interface PreparedProductionRows {
  /** A buffer of its own (it can be transferred). */
  bytes: Uint8Array;
  /** Rows (DAT, with withheld natives and redaction reasons) or lines (OPT) written. */
  written: ProductionCounts;
  /** The files those rows or lines name. */
  referenced: ProductionCounts;
  checks: LineChecks;
}

export function prepareProductionRows(task: ProductionRowsTask, plan: ProductionPlan = cachedProductionPlan(task.request)): PreparedProductionRows {
  const set = plan.sets[task.set - 1]!;
  const written = emptyCounts();
  const referenced = emptyCounts();
  const all = productionColumns(plan);
  const checker = new LineChecker(
    task.file,
    all.map((column) => column.name),
    plan.loadFiles,
  );
  let text = '';
  if (task.file === 'dat') {
    const writer = loadFileWriter(plan.archive, 'dat');
    const columns = writer.columns(all);
    for (let position = task.from; position < task.to; position++) {
      for (const record of plan.records(set, position)) {
        const row: RowContext = { doc: record.doc, size: documentSize, bates: null, production: record };
        const values = columns.map((column) => column.value(row));
        checker.datRow(values);
        text += writer.rowOf ? writer.rowOf(values) : writer.row(row, columns);
        countRow(written, record, 0);
        countReferences(referenced, record);
      }
    }
  } else {
    const { eol } = resolveDialect(plan.request);
    for (let position = task.from; position < task.to; position++) {
      for (const row of plan.imagedRows(set, position)) {
        for (const fields of optLines(row)) {
          checker.optLine(fields);
          text += fields.join(',') + eol;
          written.optLines++;
          referenced.files.image++;
        }
      }
    }
  }
  const encoded = encodeText(text, plan.request.encoding);
  const bytes = Buffer.allocUnsafeSlow(encoded.length);
  encoded.copy(bytes);
  return { bytes, written, referenced, checks: checker.result() };
}
