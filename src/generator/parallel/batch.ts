import { documentEntries } from '../entries.js';
import { ArchivePlan, type PaddingSplit } from '../plan.js';
import type { ResolvedRequest } from '../../schemas/archive-request.js';
import { prepareEntry, type PreparedEntry } from '../zip/compress.js';
import type { Method } from '../zip/records.js';

/** Documents from..to−1 of a plan: what a worker needs to rebuild the plan and do its part. */
export interface BatchTask {
  request: ResolvedRequest;
  padding: PaddingSplit;
  from: number;
  to: number;
}

/** Numbers per entry in a packed batch. */
const FIELDS = 8;
const [NAME_AT, NAME_LENGTH, METHOD, CRC, SIZE, DATA_AT, DATA_LENGTH, INDEX] = [0, 1, 2, 3, 4, 5, 6, 7] as const;

/**
 * Prepared entries of a batch packed into one buffer plus a table of numbers, so a worker can
 * hand them to the main thread by transfer, without copying or serialising objects.
 */
export interface PackedBatch {
  bytes: Uint8Array;
  table: Float64Array;
  documents: number;
}

export function planOf(task: Pick<BatchTask, 'request' | 'padding'>): ArchivePlan {
  return new ArchivePlan(task.request, task.padding);
}

/** Renders, compresses and packs documents from..to−1 (and their texts). */
export function prepareBatch(plan: ArchivePlan, from: number, to: number): PackedBatch {
  const prepared: Array<{ entry: PreparedEntry; index: number }> = [];
  for (let index = from; index < to; index++) {
    for (const entry of documentEntries(plan, index)) {
      prepared.push({ entry: prepareEntry(Buffer.from(entry.name, 'utf8'), entry.segments, entry.compression), index });
    }
  }
  let length = 0;
  for (const { entry } of prepared) length += entry.name.length + entry.compressedSize;
  const bytes = Buffer.allocUnsafeSlow(length);
  const table = new Float64Array(prepared.length * FIELDS);
  let at = 0;
  prepared.forEach(({ entry, index }, k) => {
    const row = k * FIELDS;
    table[row + NAME_AT] = at;
    table[row + NAME_LENGTH] = entry.name.length;
    at += entry.name.copy(bytes, at);
    table[row + METHOD] = entry.method;
    table[row + CRC] = entry.crc;
    table[row + SIZE] = entry.size;
    table[row + DATA_AT] = at;
    for (const piece of entry.data) at += piece.copy(bytes, at);
    table[row + DATA_LENGTH] = entry.compressedSize;
    table[row + INDEX] = index;
  });
  return { bytes, table, documents: to - from };
}

/** Views into a packed batch: no bytes are copied. */
export function unpackBatch(batch: PackedBatch): PreparedEntry[] {
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const { table } = batch;
  const entries: PreparedEntry[] = [];
  for (let row = 0; row < table.length; row += FIELDS) {
    const nameAt = table[row + NAME_AT]!;
    const dataAt = table[row + DATA_AT]!;
    const dataLength = table[row + DATA_LENGTH]!;
    entries.push({
      name: bytes.subarray(nameAt, nameAt + table[row + NAME_LENGTH]!),
      method: table[row + METHOD] as Method,
      crc: table[row + CRC]!,
      size: table[row + SIZE]!,
      compressedSize: dataLength,
      data: [bytes.subarray(dataAt, dataAt + dataLength)],
    });
  }
  return entries;
}

/** Documents per batch: about 1 MiB of archive bytes, at most 1,024 documents. */
export function batchLength(plan: ArchivePlan): number {
  const bytesPerDocument = plan.padding.base + 4096;
  return Math.max(1, Math.min(1024, Math.floor((1024 * 1024) / bytesPerDocument)));
}
