import { documentSize } from '../documents/index.js';
import { loadFileChunks, loadFileFoot, loadFileHead } from '../loadfile/writer.js';
import type { ArchivePlan } from '../plan.js';
import type { LoadFileFormat } from '../request.js';
import { prepareRows, type PreparedRows } from './batch.js';
import type { GeneratorPool } from './pool.js';

/** Documents whose rows make one worker task: big enough to outweigh a message, small enough for flat memory. */
const ROWS_PER_TASK = 4096;
/** Documents whose rows are made in one early step here: short, so waiting batches are not held up. */
const ROWS_PER_EARLY_STEP = 256;
/**
 * With actual hashes a row renders its document again and hashes it: tasks and early steps are
 * bounded by those bytes too (about a document's bytes: its padding plus a few KiB of its own).
 */
const HASHED_BYTES_PER_TASK = 8 * 1024 * 1024;
const HASHED_BYTES_PER_EARLY_STEP = 256 * 1024;
const UNPADDED_DOCUMENT_BYTES = 4096;

/** Documents per task (or early step): `rows`, fewer when each row hashes its document's bytes. */
export function rowsPerTask(plan: ArchivePlan, rows: number, hashedBytes: number): number {
  if (plan.request.hashMode !== 'actual') return rows;
  return Math.max(1, Math.min(rows, Math.floor(hashedBytes / (plan.padding.base + UNPADDED_DOCUMENT_BYTES))));
}

/**
 * A load file whose bytes can be started early: `pull()` makes a little more of it ahead of need
 * (while the thread would otherwise wait), up to a byte bound; `chunks()` then yields all of it,
 * in order, making the rest.
 */
export interface LoadFileProducer {
  /** Makes one more piece early; false once the bound is reached or nothing is left. */
  pull(): boolean;
  chunks(): AsyncGenerator<Buffer>;
}

/**
 * The load file's rows in tasks of ROWS_PER_TASK documents (fewer with actual hashes, see rowsPerTask): early pieces are made here, the rest
 * by the pool's workers in parallel, emitted in order. Bates numbers run over every page before a
 * row, so with bates (or without workers) the rows come from one sequential pass instead.
 */
export function loadFileProducer(
  plan: ArchivePlan,
  format: LoadFileFormat,
  pool: GeneratorPool,
  earlyBytes: number | (() => number),
  onRows?: (rows: number) => void,
): LoadFileProducer {
  // A function: the bound may change while the archive streams (its read-ahead share).
  const earlyBound = typeof earlyBytes === 'number' ? () => earlyBytes : earlyBytes;
  return pool.size === 0 || plan.request.bates
    ? sequentialProducer(plan, format, earlyBound, onRows)
    : parallelProducer(plan, format, pool, earlyBound, onRows);
}

/** Encoded rows made ahead of need, and how many rows: they are counted when handed on, not when made. */
interface Piece {
  bytes: Buffer;
  rows: number;
}

function sequentialProducer(plan: ArchivePlan, format: LoadFileFormat, earlyBytes: () => number, onRows?: (rows: number) => void): LoadFileProducer {
  let rowsMade = 0;
  const source = loadFileChunks(plan, format, documentSize, plan.count, (rows) => (rowsMade += rows));
  const take = (): Piece | null => {
    const next = source.next();
    if (next.done) return null;
    const piece = { bytes: next.value, rows: rowsMade };
    rowsMade = 0;
    return piece;
  };
  const early: Piece[] = [];
  let earlyMade = 0;
  let finished = false;
  return {
    pull() {
      if (finished || earlyMade >= earlyBytes()) return false;
      const piece = take();
      if (piece === null) {
        finished = true;
        return false;
      }
      early.push(piece);
      earlyMade += piece.bytes.length;
      return true;
    },
    async *chunks() {
      for (let piece = early.shift() ?? take(); piece !== null; piece = early.shift() ?? take()) {
        onRows?.(piece.rows);
        yield piece.bytes;
      }
    },
  };
}

function parallelProducer(plan: ArchivePlan, format: LoadFileFormat, pool: GeneratorPool, earlyBytes: () => number, onRows?: (rows: number) => void): LoadFileProducer {
  const early: Piece[] = [];
  let earlyMade = 0;
  let next = 1;
  const earlyStep = rowsPerTask(plan, ROWS_PER_EARLY_STEP, HASHED_BYTES_PER_EARLY_STEP);
  const taskRows = rowsPerTask(plan, ROWS_PER_TASK, HASHED_BYTES_PER_TASK);
  const task = (documents: number) => {
    const to = Math.min(plan.count + 1, next + documents);
    const rows = { request: plan.request, padding: plan.padding, format, from: next, to };
    next = to;
    return rows;
  };
  const piece = ({ bytes, rows }: PreparedRows): Piece => ({ bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), rows });
  return {
    pull() {
      if (next > plan.count || earlyMade >= earlyBytes()) return false;
      const made = piece(prepareRows(task(earlyStep)));
      early.push(made);
      earlyMade += made.bytes.length;
      return true;
    },
    async *chunks() {
      yield loadFileHead(plan, format);
      for (const made of early.splice(0)) {
        onRows?.(made.rows);
        yield made.bytes;
      }
      // Tasks in flight: as many as the archive's read-ahead share holds (the size of the last one
      // made tells), up to two per worker; one until a first task says how large they are.
      let taskBytes: number | null = null;
      const fitting = (share: number) => (share === Number.POSITIVE_INFINITY ? share : taskBytes === null ? 1 : Math.floor(share / taskBytes));
      const ahead = () => Math.max(1, Math.min(2 * pool.size, fitting(pool.readAhead.share())));
      const requested: Array<Promise<PreparedRows>> = [];
      const requestMore = () => {
        while (requested.length < ahead() && next <= plan.count) {
          const rows = pool.prepareRows(task(taskRows));
          rows.catch(() => undefined); // awaited below; one left behind by an early stop must not go unhandled
          requested.push(rows);
        }
      };
      requestMore();
      for (let rows = requested.shift(); rows !== undefined; rows = requested.shift()) {
        const made = piece(await rows);
        taskBytes = made.bytes.length;
        requestMore();
        onRows?.(made.rows);
        yield made.bytes;
      }
      const foot = loadFileFoot(plan, format);
      if (foot.length > 0) yield foot;
    },
  };
}
