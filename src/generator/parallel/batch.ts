import { documentSize } from '../documents/index.js';
import { archiveCompression, documentEntries } from '../entries.js';
import { loadFileRows } from '../loadfile/writer.js';
import type { LoadFileFormat } from '../request.js';
import { ArchivePlan, type PaddingSplit } from '../plan.js';
import { requestedHashAlgorithms, type ResolvedRequest } from '../request.js';
import { prepareEntry, type PreparedEntry } from '../zip/compress.js';
import type { Method } from '../zip/records.js';
import { paddingBlock, paddingBlockOffset } from '../random.js';
import { digestInto, digestsFromBuffer } from '../loadfile/hash-columns.js';
import { archiveHashesDocuments, rowDigestBytes } from '../loadfile/hash-store.js';

/** Documents from..to−1 of a plan: what a worker needs to rebuild the plan and do its part. */
export interface BatchTask {
  request: ResolvedRequest;
  padding: PaddingSplit;
  from: number;
  to: number;
}

/** The load-file rows of documents from..to−1, encoded (no header, no footer). */
export interface RowsTask extends BatchTask {
  format: LoadFileFormat;
  /** With chaos: records of the load file before document `from`, and its lines that can break (counted once, on the main thread). */
  chaosPosition?: { firstRecord: number; total: number };
  /** hashMode actual: the rows' digests, computed when the documents were prepared (else each row hashes its document). */
  digests?: Uint8Array;
}

/** Encoded load-file rows: the bytes, how many rows (a family's attachment has a row of its own) and records (OPT: image lines). */
export interface PreparedRows {
  bytes: Uint8Array;
  rows: number;
  records: number;
}

/** Encodes the rows of a RowsTask into one buffer of its own (so that it can be transferred). */
export function prepareRows(task: RowsTask): PreparedRows {
  let rows = 0;
  let records = 0;
  const plan = planOf(task);
  const digests = task.digests ? digestsFromBuffer(task.digests, requestedHashAlgorithms(plan.request)) : undefined;
  const chunks = [
    ...loadFileRows(
      plan,
      task.format,
      documentSize,
      task.from,
      task.to,
      (rowCount, recordCount) => {
        rows += rowCount;
        records += recordCount;
      },
      digests,
      task.chaosPosition,
    ),
  ];
  const bytes = Buffer.allocUnsafeSlow(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) at += chunk.copy(bytes, at);
  return { bytes, rows, records };
}

/** Numbers per entry in a packed batch's table, then per piece of its data. */
const FIELDS = 6;
const [NAME_AT, NAME_LENGTH, METHOD, CRC, SIZE, PIECES] = [0, 1, 2, 3, 4, 5] as const;
const PIECE_FIELDS = 3;
/** Where a piece's bytes are: in the batch's own buffer, or in the seed's padding block. */
const [IN_BATCH, IN_PADDING_BLOCK] = [0, 1] as const;

/**
 * Prepared entries of a batch packed into one buffer plus a table of numbers, so a worker can
 * hand them to the main thread by transfer, without copying or serialising objects. Padding is not
 * copied at all: it is a window into the padding block, which every thread makes for itself from
 * the seed, so the table only says where the window is.
 */
export interface PackedBatch {
  bytes: Uint8Array;
  /** Per entry: FIELDS numbers, then PIECES × PIECE_FIELDS (source, offset, length). */
  table: Float64Array;
  /** hashMode actual: each document's digests (see digestInto), in load-file row order. */
  digests?: Uint8Array;
}

export function planOf(task: Pick<BatchTask, 'request' | 'padding'>): ArchivePlan {
  return new ArchivePlan(task.request, task.padding);
}

/** Renders, compresses and packs documents from..to−1 (and their texts). */
export function prepareBatch(plan: ArchivePlan, from: number, to: number): PackedBatch {
  const prepared: PreparedEntry[] = [];
  // hashMode actual: each native is hashed here, where its bytes are, for the load file at the end.
  const algorithms = archiveHashesDocuments(plan) ? requestedHashAlgorithms(plan.request) : [];
  const digestBytes: Buffer[] = [];
  for (let index = from; index < to; index++) {
    for (const entry of documentEntries(plan, index)) {
      if (!entry.absent) prepared.push(prepareEntry(Buffer.from(entry.name, 'utf8'), entry.segments, archiveCompression(plan.request, entry.compression)));
      if (algorithms.length > 0 && entry.kind === 'document') {
        const digest = Buffer.allocUnsafe(rowDigestBytes(algorithms));
        digestInto(digest, 0, entry.segments, algorithms);
        digestBytes.push(digest);
      }
    }
  }
  const batch = packPrepared(prepared, plan.request.seed);
  if (algorithms.length === 0) return batch;
  // One buffer of its own, so that it can be transferred.
  const digests = Buffer.allocUnsafeSlow(digestBytes.length * rowDigestBytes(algorithms));
  digestBytes.forEach((digest, k) => digest.copy(digests, k * digest.length));
  return { ...batch, digests };
}

/** Packs prepared entries into one buffer and a table (see PackedBatch); pieces of the seed's padding block stay where they are. */
export function packPrepared(prepared: PreparedEntry[], seed: number): PackedBatch {
  // Where each piece lies in the padding block (−1: its bytes go into the batch), looked up once.
  const inBlock: number[] = [];
  let length = 0;
  let numbers = 0;
  for (const entry of prepared) {
    length += entry.name.length;
    numbers += FIELDS + entry.data.length * PIECE_FIELDS;
    for (const piece of entry.data) {
      const offset = paddingBlockOffset(seed, piece);
      inBlock.push(offset);
      if (offset < 0) length += piece.length;
    }
  }
  const bytes = Buffer.allocUnsafeSlow(length);
  const table = new Float64Array(numbers);
  let at = 0;
  let row = 0;
  let piece = 0;
  for (const entry of prepared) {
    table[row + NAME_AT] = at;
    table[row + NAME_LENGTH] = entry.name.length;
    at += entry.name.copy(bytes, at);
    table[row + METHOD] = entry.method;
    table[row + CRC] = entry.crc;
    table[row + SIZE] = entry.size;
    table[row + PIECES] = entry.data.length;
    row += FIELDS;
    for (const data of entry.data) {
      const offset = inBlock[piece++]!;
      table[row] = offset < 0 ? IN_BATCH : IN_PADDING_BLOCK;
      table[row + 1] = offset < 0 ? at : offset;
      table[row + 2] = data.length;
      if (offset < 0) at += data.copy(bytes, at);
      row += PIECE_FIELDS;
    }
  }
  return { bytes, table };
}

/** Views into a packed batch and into the seed's padding block: no bytes are copied. */
export function unpackBatch(batch: PackedBatch, seed: number): PreparedEntry[] {
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const { table } = batch;
  // The seed's block, looked up once per batch and only when some piece lies in it.
  let block: Buffer | undefined;
  const entries: PreparedEntry[] = [];
  for (let row = 0; row < table.length; ) {
    const nameAt = table[row + NAME_AT]!;
    const entry: PreparedEntry = {
      name: bytes.subarray(nameAt, nameAt + table[row + NAME_LENGTH]!),
      method: table[row + METHOD] as Method,
      crc: table[row + CRC]!,
      size: table[row + SIZE]!,
      compressedSize: 0,
      data: [],
    };
    const pieces = table[row + PIECES]!;
    row += FIELDS;
    for (let k = 0; k < pieces; k++, row += PIECE_FIELDS) {
      const source = table[row] === IN_BATCH ? bytes : (block ??= paddingBlock(seed));
      const offset = table[row + 1]!;
      const pieceLength = table[row + 2]!;
      entry.data.push(source.subarray(offset, offset + pieceLength));
      entry.compressedSize += pieceLength;
    }
    entries.push(entry);
  }
  return entries;
}

/** Documents per batch: about 1 MiB of archive bytes, at most 1,024 documents. */
export function batchLength(plan: ArchivePlan): number {
  const bytesPerDocument = plan.padding.base + 4096;
  return Math.max(1, Math.min(1024, Math.floor((1024 * 1024) / bytesPerDocument)));
}
