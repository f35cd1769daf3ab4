/**
 * A production set's load files as chunks made while the archive reads them: the DAT (production
 * columns through the ordinary DAT writer) and the OPT, in ranges of positions (rows.ts) whose
 * lines are checked where they are made and merged into the set's validator in order, and whose
 * counts are added to the set's tallies as their bytes are handed on; and one set's DAT or OPT
 * alone (setLoadFileChunks, POST /loadfiles).
 */
import { LOAD_FILE_SAMPLE_ROWS, ZIP64_LOAD_FILE_BYTES } from '../entries.js';
import { byteOrderMark, encodeText } from '../loadfile/encoding.js';
import { loadFileWriter } from '../loadfile/writer.js';
import { inOrder } from '../parallel/in-order.js';
import type { GeneratorPool } from '../parallel/pool.js';
import { productionColumns } from './columns.js';
import { addCounts, emptyCounts, type ProductionCounts } from './manifest.js';
// Used when a chunk generator runs, not while the modules load (entries.ts imports this module).
import { ProductionValidationError } from './entries.js';
import type { ProductionPlan, ProductionSet } from './plan.js';
import { prepareProductionRows, type PreparedProductionRows } from './rows.js';
import { SetValidator, type LoadFileKind } from './validate.js';

/** Positions per range made on the calling thread: a chunk each. */
const POSITIONS_PER_CHUNK = 512;
/** Positions per worker task: big enough to outweigh a message, small enough for flat memory (≈ 1 MB of DAT). */
const POSITIONS_PER_TASK = 4096;

/** The file's bytes before its rows: the byte-order mark (UTF-16, as every load file) and the DAT's header. */
function head(plan: ProductionPlan, file: LoadFileKind): Buffer {
  const { encoding } = plan.request;
  if (file === 'opt') return byteOrderMark(encoding);
  const writer = loadFileWriter(plan.archive, 'dat');
  return Buffer.concat([byteOrderMark(encoding), encodeText(writer.header(writer.columns(productionColumns(plan)), encoding), encoding)]);
}

/** A range made: its checks merged, its counts added; its bytes to hand on. */
function handOn(made: PreparedProductionRows, validator: SetValidator, written: ProductionCounts, referenced?: ProductionCounts): Buffer {
  validator.merge(made.checks);
  addCounts(written, made.written);
  if (referenced) addCounts(referenced, made.referenced);
  return Buffer.from(made.bytes.buffer, made.bytes.byteOffset, made.bytes.byteLength);
}

/** One of the set's load files, made on the calling thread. `referenced`: counts the files its lines name. */
export function* setLoadFile(plan: ProductionPlan, set: ProductionSet, file: LoadFileKind, written: ProductionCounts, validator: SetValidator, referenced?: ProductionCounts): Generator<Buffer> {
  const first = head(plan, file);
  if (first.length > 0) yield first;
  for (let from = 1; from <= plan.count; from += POSITIONS_PER_CHUNK) {
    const to = Math.min(plan.count + 1, from + POSITIONS_PER_CHUNK);
    yield handOn(prepareProductionRows({ request: plan.request, set: set.sequence, file, from, to }, plan), validator, written, referenced);
  }
}

/** One of the set's load files, its ranges made by the pool's workers, in order. */
export async function* setLoadFileInParallel(
  plan: ProductionPlan,
  set: ProductionSet,
  file: LoadFileKind,
  pool: GeneratorPool,
  written: ProductionCounts,
  validator: SetValidator,
  referenced?: ProductionCounts,
): AsyncGenerator<Buffer> {
  const first = head(plan, file);
  if (first.length > 0) yield first;
  // Tasks in flight: up to two per worker, fewer when the archive's read-ahead share is small.
  const ahead = () => Math.max(1, Math.min(2 * pool.size, Math.floor(pool.readAhead.share() / (1024 * 1024))));
  let next = 1;
  const start = () => {
    if (next > plan.count) return null;
    const to = Math.min(plan.count + 1, next + POSITIONS_PER_TASK);
    const made = pool.prepareProductionRows({ request: plan.request, set: set.sequence, file, from: next, to });
    next = to;
    return made;
  };
  for await (const rows of inOrder(start, ahead)) yield handOn(rows, validator, written, referenced);
}

/** Whether a set's DAT or OPT may pass 4 GiB (a UTF-16 DAT of a few million rows can): sized from its first rows, as plain load files are. */
export function setLoadFileMayNeedZip64(plan: ProductionPlan, file: LoadFileKind): boolean {
  const positions = Math.min(plan.count, LOAD_FILE_SAMPLE_ROWS);
  const sample = prepareProductionRows({ request: plan.request, set: 1, file, from: 1, to: positions + 1 }, plan);
  return (sample.bytes.length / positions) * plan.count >= ZIP64_LOAD_FILE_BYTES;
}

export const SET_LOAD_FILES = ['dat', 'opt'] as const satisfies readonly LoadFileKind[];
export type SetLoadFile = (typeof SET_LOAD_FILES)[number];

/**
 * One set's DAT or OPT alone (POST /loadfiles): the chunks the archive's entry is made of, so the
 * bytes are the entry's. Its rows are checked as the archive checks them: after the last chunk, a
 * failed check throws (the reader sees a broken transfer, not a file that looks complete), as the
 * archive's report entry does. `onRows` hears of the DAT rows or OPT lines each chunk carries.
 */
export async function* setLoadFileChunks(plan: ProductionPlan, set: ProductionSet, file: SetLoadFile, pool?: GeneratorPool, onRows?: (rows: number) => void): AsyncGenerator<Buffer> {
  const validator = new SetValidator(
    productionColumns(plan).map((column) => column.name),
    plan.loadFiles,
  );
  const written = emptyCounts();
  const counted = () => (file === 'dat' ? written.rows : written.optLines);
  let heard = 0;
  const chunks = pool && pool.size > 0 ? setLoadFileInParallel(plan, set, file, pool, written, validator) : setLoadFile(plan, set, file, written, validator);
  for await (const chunk of chunks) {
    onRows?.(counted() - heard);
    heard = counted();
    yield chunk;
  }
  if (validator.errorCount > 0) {
    const report = validator.report(written);
    throw new ProductionValidationError(`production ${set.id}: its ${file.toUpperCase()} failed its validation: ${report.errorCount} errors (${report.findings[0]?.message ?? ''})`);
  }
}
