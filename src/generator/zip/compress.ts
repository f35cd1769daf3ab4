import { constants, crc32, deflateRawSync } from 'node:zlib';
import { isSharedBytes } from '../documents/shared-bytes.js';
import { METHOD, type Method } from './records.js';

/**
 * How an entry's bytes go into the archive:
 * - store: as they are;
 * - deflate: one zlib deflate over the whole entry (best ratio, ~20 µs an entry at least);
 * - segments: a deflate stream assembled from pieces: bytes every document repeats are deflated
 *   once per process and reused, this document's own short bytes become stored blocks, its long
 *   ones are deflated. Valid deflate, at the cost of copying.
 */
export type Compression = 'store' | 'deflate' | 'segments';

/** Document-specific bytes shorter than this are not worth a zlib call of their own. */
export const VARIABLE_DEFLATE_MIN = 4096;
const DEFLATE_LEVEL = 6;

/** An entry whose CRC and sizes are known before it is written: no data descriptor needed. */
export interface PreparedEntry {
  name: Buffer;
  method: Method;
  crc: number;
  size: number;
  compressedSize: number;
  data: Buffer[];
}

/** A final, empty fixed-Huffman block: ends a deflate stream after byte-aligned blocks. */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);
const MAX_STORED_BLOCK = 0xffff;

/** Deflate blocks for `bytes` that end byte-aligned and reference nothing before them. */
function deflatedBlocks(bytes: Buffer): Buffer {
  return deflateRawSync(bytes, { level: DEFLATE_LEVEL, finishFlush: constants.Z_FULL_FLUSH });
}

/** `compute` of shared bytes, computed once per process for each of them. */
function oncePerShared<T>(compute: (bytes: Buffer) => T): (bytes: Buffer) => T {
  const results = new WeakMap<Buffer, T>();
  return (bytes) => {
    let result = results.get(bytes);
    if (result === undefined) {
      result = compute(bytes);
      results.set(bytes, result);
    }
    return result;
  };
}

const crcOfShared = oncePerShared((bytes) => crc32(bytes));
const blocksOfShared = oncePerShared(deflatedBlocks);

/** Non-final stored blocks (BTYPE 00) carrying `bytes` verbatim. */
function storedBlocks(bytes: Buffer, into: Buffer[]): void {
  for (let at = 0; at < bytes.length; at += MAX_STORED_BLOCK) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + MAX_STORED_BLOCK));
    const header = Buffer.allocUnsafe(5);
    header[0] = 0x00;
    header.writeUInt16LE(piece.length, 1);
    header.writeUInt16LE(~piece.length & 0xffff, 3);
    into.push(header, piece);
  }
}

function totalLength(buffers: Buffer[]): number {
  let length = 0;
  for (const buffer of buffers) length += buffer.length;
  return length;
}

/** Whether segment compression gains anything: some bytes are shared or long enough to deflate. */
export function segmentsCompress(segments: Buffer[]): boolean {
  return segments.some((segment) => isSharedBytes(segment) || segment.length >= VARIABLE_DEFLATE_MIN);
}

/** CRC, sizes and the bytes to write for one entry. */
export function prepareEntry(name: Buffer, segments: Buffer[], compression: Compression): PreparedEntry {
  let crc = 0;
  for (let k = 0; k < segments.length; k++) {
    const segment = segments[k]!;
    // Documents that open with shared bytes (every PDF) start from that prefix's CRC, made once.
    crc = k === 0 && isSharedBytes(segment) ? crcOfShared(segment) : crc32(segment, crc);
  }
  const size = totalLength(segments);
  if (compression === 'store' || size === 0) {
    return { name, method: METHOD.stored, crc, size, compressedSize: size, data: segments };
  }
  let data: Buffer[];
  if (compression === 'deflate') {
    data = [deflateRawSync(segments.length === 1 ? segments[0]! : Buffer.concat(segments, size), { level: DEFLATE_LEVEL })];
  } else {
    data = [];
    for (const segment of segments) {
      if (segment.length === 0) continue;
      if (isSharedBytes(segment)) data.push(blocksOfShared(segment));
      else if (segment.length >= VARIABLE_DEFLATE_MIN) data.push(deflatedBlocks(segment));
      else storedBlocks(segment, data);
    }
    data.push(FINAL_EMPTY_BLOCK);
  }
  return { name, method: METHOD.deflated, crc, size, compressedSize: totalLength(data), data };
}
