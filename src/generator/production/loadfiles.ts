/**
 * A production set's load files as chunks made while the archive reads them: the DAT (production
 * columns through the ordinary DAT writer) and the OPT, in ranges of positions (rows.ts) whose
 * lines are checked where they are made and merged into the set's validator in order, and whose
 * counts are added to the set's tallies as their bytes are handed on.
 */
import { byteOrderMark, encodeText } from '../loadfile/encoding.js';
import { loadFileWriter } from '../loadfile/writer.js';
import type { GeneratorPool } from '../parallel/pool.js';
import { productionColumns } from './columns.js';
import { addCounts, type ProductionCounts } from './manifest.js';
import type { ProductionPlan, ProductionSet } from './plan.js';
import { prepareProductionRows, type PreparedProductionRows } from './rows.js';
import type { LoadFileKind, SetValidator } from './validate.js';

/** Positions per range made on the calling thread: a chunk each. */
const POSITIONS_PER_CHUNK = 512;
/** Positions per worker task: big enough to outweigh a message, small enough for flat memory (≈ 1 MB of DAT). */
const POSITIONS_PER_TASK = 4096;

/** The file's bytes before its rows: the DAT's byte-order mark (UTF-16) and header. */
function head(plan: ProductionPlan, file: LoadFileKind): Buffer {
  if (file === 'opt') return Buffer.alloc(0);
  const { encoding } = plan.request;
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
  const requested: Array<Promise<PreparedProductionRows>> = [];
  let next = 1;
  const requestMore = () => {
    while (requested.length < ahead() && next <= plan.count) {
      const to = Math.min(plan.count + 1, next + POSITIONS_PER_TASK);
      const made = pool.prepareProductionRows({ request: plan.request, set: set.sequence, file, from: next, to });
      made.catch(() => undefined); // awaited below; one left behind by an early stop must not go unhandled
      requested.push(made);
      next = to;
    }
  };
  requestMore();
  for (let made = requested.shift(); made !== undefined; made = requested.shift()) {
    const rows = await made;
    requestMore();
    yield handOn(rows, validator, written, referenced);
  }
}

/** Kept for callers of the single-file form: the DAT made on the calling thread. */
export function datChunks(plan: ProductionPlan, set: ProductionSet, written: ProductionCounts, validator: SetValidator, referenced?: ProductionCounts): Generator<Buffer> {
  return setLoadFile(plan, set, 'dat', written, validator, referenced);
}

/** Kept for callers of the single-file form: the OPT made on the calling thread. */
export function optChunks(plan: ProductionPlan, set: ProductionSet, written: ProductionCounts, validator: SetValidator, referenced?: ProductionCounts): Generator<Buffer> {
  return setLoadFile(plan, set, 'opt', written, validator, referenced);
}
