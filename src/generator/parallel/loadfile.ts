import { documentSize } from '../documents/index.js';
import { chaosOf, loadFileChunks, loadFileFoot, loadFileHead, type RowsListener } from '../loadfile/writer.js';
import type { ArchivePlan } from '../plan.js';
import type { LoadFileFormat } from '../request.js';
import type { GivenDigests } from '../loadfile/hash-columns.js';
import type { HashStore } from '../loadfile/hash-store.js';
import { prepareRows, type PreparedRows, type RowsTask } from './batch.js';
import { inOrder } from './in-order.js';
import type { GeneratorPool } from './pool.js';
import { recordsInRange } from '../chaos/loadfile-chaos.js';

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

/** Documents per task (or early step): `rows`, fewer when each row hashes its document's bytes (actual hashes not given). */
export function rowsPerTask(plan: ArchivePlan, rows: number, hashedBytes: number, hashes?: HashStore): number {
  if (plan.request.hashMode !== 'actual' || hashes) return rows;
  return Math.max(1, Math.min(rows, Math.floor(hashedBytes / (plan.padding.base + UNPADDED_DOCUMENT_BYTES))));
}

/** Load-file rows of documents from..to−1: one each, two for an email whose attachment is a document of its own. */
export function rowsOf(plan: ArchivePlan, from: number, to: number): number {
  let rows = to - from;
  if (plan.request.withFamilies && plan.request.attachmentRate > 0) {
    for (let index = from; index < to; index++) if (plan.hasAttachment(index, plan.typeOf(index))) rows++;
  }
  return rows;
}

/** Digests read from a store in order, a block of rows at a time, for one sequential pass over every row. */
function sequentialDigests(hashes: HashStore): GivenDigests {
  const reader = hashes.reader();
  const BLOCK_ROWS = 4096;
  let block: Buffer = Buffer.alloc(0);
  let blockFirst = 0;
  return {
    rowDigests(row) {
      if (row < blockFirst || row >= blockFirst + block.length / hashes.rowBytes) {
        if (row !== blockFirst + block.length / hashes.rowBytes) throw new Error('sequentialDigests: rows are read in order');
        blockFirst = row;
        block = reader.read(Math.min(BLOCK_ROWS, hashes.rows - row));
      }
      return { bytes: block, offset: (row - blockFirst) * hashes.rowBytes };
    },
  };
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
 * The load file's rows in tasks of ROWS_PER_TASK documents (fewer when rows hash their documents,
 * see rowsPerTask): early pieces are made here, the rest by the pool's workers in parallel, emitted
 * in order. Bates numbers run over every page before a row, so with bates (or without workers) the
 * rows come from one sequential pass instead. `hashes`: the archive's digests, for hash columns.
 */
export function loadFileProducer(
  plan: ArchivePlan,
  format: LoadFileFormat,
  pool: GeneratorPool,
  earlyBytes: number | (() => number),
  onRows?: RowsListener,
  hashes?: HashStore,
): LoadFileProducer {
  // A function: the bound may change while the archive streams (its read-ahead share).
  const earlyBound = typeof earlyBytes === 'number' ? () => earlyBytes : earlyBytes;
  // Bates numbers count pages from the first document: one pass.
  return pool.size === 0 || plan.request.bates
    ? sequentialProducer(plan, format, earlyBound, onRows, hashes)
    : parallelProducer(plan, format, pool, earlyBound, onRows, hashes);
}

/** Encoded rows made ahead of need, how many rows and records: they are counted when handed on, not when made. */
interface Piece {
  bytes: Buffer;
  rows: number;
  records: number;
}

function sequentialProducer(plan: ArchivePlan, format: LoadFileFormat, earlyBytes: () => number, onRows?: RowsListener, hashes?: HashStore): LoadFileProducer {
  let rowsMade = 0;
  let recordsMade = 0;
  // Digests read lazily: the first row is made only once every document's are recorded (see pull).
  let digests: GivenDigests | undefined;
  const given: GivenDigests | undefined = hashes && { rowDigests: (row) => (digests ??= sequentialDigests(hashes)).rowDigests(row) };
  const source = loadFileChunks(
    plan,
    format,
    documentSize,
    plan.count,
    (rows, records) => {
      rowsMade += rows;
      recordsMade += records;
    },
    given,
  );
  const take = (): Piece | null => {
    const next = source.next();
    if (next.done) return null;
    const piece = { bytes: next.value, rows: rowsMade, records: recordsMade };
    rowsMade = 0;
    recordsMade = 0;
    return piece;
  };
  const early: Piece[] = [];
  let earlyMade = 0;
  let finished = false;
  return {
    pull() {
      // With given digests, no row before every document's are in (one pass: no pieces in between).
      if (finished || earlyMade >= earlyBytes() || (hashes && hashes.documents < plan.count)) return false;
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
        onRows?.(piece.rows, piece.records);
        yield piece.bytes;
      }
    },
  };
}

function parallelProducer(
  plan: ArchivePlan,
  format: LoadFileFormat,
  pool: GeneratorPool,
  earlyBytes: () => number,
  onRows?: RowsListener,
  hashes?: HashStore,
): LoadFileProducer {
  const early: Piece[] = [];
  let earlyMade = 0;
  let next = 1;
  const earlyStep = rowsPerTask(plan, ROWS_PER_EARLY_STEP, HASHED_BYTES_PER_EARLY_STEP, hashes);
  const taskRows = rowsPerTask(plan, ROWS_PER_TASK, HASHED_BYTES_PER_TASK, hashes);
  const reader = hashes?.reader();
  // With chaos, each task is told how many records come before it (a cheap count, no metadata drawn).
  const chaos = chaosOf(plan, format);
  let recordsBefore = 0;
  const task = (documents: number): RowsTask => {
    const to = Math.min(plan.count + 1, next + documents);
    const rows: RowsTask = { request: plan.request, padding: plan.padding, format, from: next, to };
    if (chaos) {
      rows.chaosPosition = { firstRecord: recordsBefore, total: chaos.total };
      recordsBefore += recordsInRange(plan, format, next, to);
    }
    if (reader) rows.digests = reader.read(rowsOf(plan, next, to));
    next = to;
    return rows;
  };
  const piece = ({ bytes, rows, records }: PreparedRows): Piece => ({ bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), rows, records });
  return {
    pull() {
      if (next > plan.count || earlyMade >= earlyBytes()) return false;
      // With given digests, only rows of documents already hashed (those written so far).
      const known = hashes ? hashes.documents - next + 1 : earlyStep;
      if (known <= 0) return false;
      const made = piece(prepareRows(task(Math.min(earlyStep, known))));
      early.push(made);
      earlyMade += made.bytes.length;
      return true;
    },
    async *chunks() {
      yield loadFileHead(plan, format);
      for (const made of early.splice(0)) {
        onRows?.(made.rows, made.records);
        yield made.bytes;
      }
      // Tasks in flight: as many as the archive's read-ahead share holds (the size of the last one
      // made tells), up to two per worker; one until a first task says how large they are.
      let taskBytes: number | null = null;
      const fitting = (share: number) => (share === Number.POSITIVE_INFINITY ? share : taskBytes === null ? 1 : Math.floor(share / taskBytes));
      const ahead = () => Math.max(1, Math.min(2 * pool.size, fitting(pool.readAhead.share())));
      const rowTasks = inOrder(
        () => (next <= plan.count ? pool.prepareRows(task(taskRows)) : null),
        ahead,
        (rows) => (taskBytes = rows.bytes.byteLength),
      );
      for await (const rows of rowTasks) {
        const made = piece(rows);
        onRows?.(made.rows, made.records);
        yield made.bytes;
      }
      const foot = loadFileFoot(plan, format);
      if (foot.length > 0) yield foot;
    },
  };
}
