/**
 * ZIP records (PKWARE APPNOTE 6.3.x, sections 4.3 and 4.5), written straight into buffers.
 * Entries are regular files with UTF-8 names and one fixed timestamp.
 */

export const SIGNATURE = {
  localHeader: 0x04034b50,
  centralHeader: 0x02014b50,
  dataDescriptor: 0x08074b50,
  zip64End: 0x06064b50,
  zip64Locator: 0x07064b50,
  end: 0x06054b50,
} as const;

export const METHOD = { stored: 0, deflated: 8 } as const;
export type Method = (typeof METHOD)[keyof typeof METHOD];

/** General-purpose flags: sizes follow the data (bit 3); names are UTF-8 (bit 11). */
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;

/** 2.0 for deflate, 4.5 for Zip64; "made by" Unix so the external attributes are a file mode. */
const VERSION_DEFAULT = 20;
const VERSION_ZIP64 = 45;
const MADE_BY_UNIX = 3 << 8;
/** -rw-r--r-- regular file. */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;

const ZIP64_EXTRA_ID = 0x0001;
export const MAX_16 = 0xffff;
export const MAX_32 = 0xffffffff;

export const LOCAL_HEADER_BYTES = 30;
export const CENTRAL_HEADER_BYTES = 46;
export const END_BYTES = 22;
export const ZIP64_END_BYTES = 56;
export const ZIP64_LOCATOR_BYTES = 20;

/** MS-DOS date and time of a UTC instant (two-second resolution). */
export function dosDateTime(date: Date): { date: number; time: number } {
  return {
    date: ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
  };
}

export interface EntryRecord {
  name: Buffer;
  method: Method;
  crc: number;
  compressedSize: number;
  size: number;
}

export interface Timestamp {
  date: number;
  time: number;
}

/** Bytes of an entry's local header. */
export function localHeaderBytes(entry: EntryRecord, streamed: { zip64: boolean } | null): number {
  return LOCAL_HEADER_BYTES + entry.name.length + (localZip64(entry, streamed) ? 20 : 0);
}

function localZip64(entry: EntryRecord, streamed: { zip64: boolean } | null): boolean {
  return streamed ? streamed.zip64 : entry.size >= MAX_32 || entry.compressedSize >= MAX_32;
}

/**
 * Writes the local header into `header` at `start` (room: localHeaderBytes); returns its length.
 * `streamed`: CRC and sizes are unknown yet and follow in a data descriptor; `zip64` then
 * announces 8-byte sizes there (APPNOTE 4.3.9.2).
 */
export function writeLocalHeader(
  header: Buffer,
  start: number,
  entry: EntryRecord,
  when: Timestamp,
  streamed: { zip64: boolean } | null,
): number {
  const zip64 = localZip64(entry, streamed);
  const extraLength = zip64 ? 20 : 0;
  header.writeUInt32LE(SIGNATURE.localHeader, start);
  header.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_DEFAULT, start + 4);
  header.writeUInt16LE(FLAG_UTF8 | (streamed ? FLAG_DATA_DESCRIPTOR : 0), start + 6);
  header.writeUInt16LE(entry.method, start + 8);
  header.writeUInt16LE(when.time, start + 10);
  header.writeUInt16LE(when.date, start + 12);
  header.writeUInt32LE(streamed ? 0 : entry.crc, start + 14);
  header.writeUInt32LE(zip64 ? MAX_32 : streamed ? 0 : entry.compressedSize, start + 18);
  header.writeUInt32LE(zip64 ? MAX_32 : streamed ? 0 : entry.size, start + 22);
  header.writeUInt16LE(entry.name.length, start + 26);
  header.writeUInt16LE(extraLength, start + 28);
  entry.name.copy(header, start + LOCAL_HEADER_BYTES);
  if (zip64) {
    const at = start + LOCAL_HEADER_BYTES + entry.name.length;
    header.writeUInt16LE(ZIP64_EXTRA_ID, at);
    header.writeUInt16LE(16, at + 2);
    header.writeBigUInt64LE(BigInt(streamed ? 0 : entry.size), at + 4);
    header.writeBigUInt64LE(BigInt(streamed ? 0 : entry.compressedSize), at + 12);
  }
  return LOCAL_HEADER_BYTES + entry.name.length + extraLength;
}

/** Data descriptor after a streamed entry: 32-bit sizes, or 64-bit when its local header said Zip64. */
export function dataDescriptor(entry: Pick<EntryRecord, 'crc' | 'compressedSize' | 'size'>, zip64: boolean): Buffer {
  const descriptor = Buffer.allocUnsafe(zip64 ? 24 : 16);
  descriptor.writeUInt32LE(SIGNATURE.dataDescriptor, 0);
  descriptor.writeUInt32LE(entry.crc, 4);
  if (zip64) {
    descriptor.writeBigUInt64LE(BigInt(entry.compressedSize), 8);
    descriptor.writeBigUInt64LE(BigInt(entry.size), 16);
  } else {
    descriptor.writeUInt32LE(entry.compressedSize, 8);
    descriptor.writeUInt32LE(entry.size, 12);
  }
  return descriptor;
}

/** Bytes the central header of an entry takes: fixed part, name, Zip64 fields that overflow. */
export function centralHeaderBytes(entry: EntryRecord, offset: number): number {
  return CENTRAL_HEADER_BYTES + entry.name.length + zip64ExtraLength(entry, offset);
}

function zip64ExtraLength(entry: EntryRecord, offset: number): number {
  if (entry.size < MAX_32 && entry.compressedSize < MAX_32 && offset < MAX_32) return 0;
  const fields = (entry.size >= MAX_32 ? 1 : 0) + (entry.compressedSize >= MAX_32 ? 1 : 0) + (offset >= MAX_32 ? 1 : 0);
  return 4 + 8 * fields;
}

/**
 * Writes an entry's central header into `target` at `at` (room: centralHeaderBytes); returns its
 * length. `offset`: where its local header is.
 */
export function writeCentralHeader(target: Buffer, at: number, entry: EntryRecord, offset: number, when: Timestamp, streamed: boolean): number {
  const extraLength = zip64ExtraLength(entry, offset);
  const zip64 = extraLength > 0;
  target.writeUInt32LE(SIGNATURE.centralHeader, at);
  target.writeUInt16LE(MADE_BY_UNIX | VERSION_ZIP64, at + 4);
  target.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_DEFAULT, at + 6);
  target.writeUInt16LE(FLAG_UTF8 | (streamed ? FLAG_DATA_DESCRIPTOR : 0), at + 8);
  target.writeUInt16LE(entry.method, at + 10);
  target.writeUInt16LE(when.time, at + 12);
  target.writeUInt16LE(when.date, at + 14);
  target.writeUInt32LE(entry.crc, at + 16);
  target.writeUInt32LE(Math.min(entry.compressedSize, MAX_32), at + 20);
  target.writeUInt32LE(Math.min(entry.size, MAX_32), at + 24);
  target.writeUInt16LE(entry.name.length, at + 28);
  target.writeUInt16LE(extraLength, at + 30);
  target.writeUInt16LE(0, at + 32); // comment length
  target.writeUInt16LE(0, at + 34); // disk number
  target.writeUInt16LE(0, at + 36); // internal attributes
  target.writeUInt32LE(EXTERNAL_ATTRIBUTES, at + 38);
  target.writeUInt32LE(Math.min(offset, MAX_32), at + 42);
  entry.name.copy(target, at + CENTRAL_HEADER_BYTES);
  let field = at + CENTRAL_HEADER_BYTES + entry.name.length;
  if (zip64) {
    target.writeUInt16LE(ZIP64_EXTRA_ID, field);
    target.writeUInt16LE(extraLength - 4, field + 2);
    field += 4;
    // Only the fields whose header value overflowed, in this order (APPNOTE 4.5.3).
    for (const value of [entry.size, entry.compressedSize, offset]) {
      if (value >= MAX_32) {
        target.writeBigUInt64LE(BigInt(value), field);
        field += 8;
      }
    }
  }
  return CENTRAL_HEADER_BYTES + entry.name.length + extraLength;
}

/** End records: Zip64 end record and locator when counts or offsets overflow, then the classic one. */
export function endRecords(entries: number, centralOffset: number, centralSize: number): Buffer {
  const zip64 = entries >= MAX_16 || centralOffset >= MAX_32 || centralSize >= MAX_32;
  const records = Buffer.alloc((zip64 ? ZIP64_END_BYTES + ZIP64_LOCATOR_BYTES : 0) + END_BYTES);
  let at = 0;
  if (zip64) {
    const zip64EndOffset = centralOffset + centralSize;
    records.writeUInt32LE(SIGNATURE.zip64End, 0);
    records.writeBigUInt64LE(BigInt(ZIP64_END_BYTES - 12), 4);
    records.writeUInt16LE(MADE_BY_UNIX | VERSION_ZIP64, 12);
    records.writeUInt16LE(VERSION_ZIP64, 14);
    // disk numbers (16, 20) stay 0
    records.writeBigUInt64LE(BigInt(entries), 24);
    records.writeBigUInt64LE(BigInt(entries), 32);
    records.writeBigUInt64LE(BigInt(centralSize), 40);
    records.writeBigUInt64LE(BigInt(centralOffset), 48);
    records.writeUInt32LE(SIGNATURE.zip64Locator, 56);
    records.writeBigUInt64LE(BigInt(zip64EndOffset), 64);
    records.writeUInt32LE(1, 72); // total disks
    at = ZIP64_END_BYTES + ZIP64_LOCATOR_BYTES;
  }
  records.writeUInt32LE(SIGNATURE.end, at);
  records.writeUInt16LE(Math.min(entries, MAX_16), at + 8);
  records.writeUInt16LE(Math.min(entries, MAX_16), at + 10);
  records.writeUInt32LE(Math.min(centralSize, MAX_32), at + 12);
  records.writeUInt32LE(Math.min(centralOffset, MAX_32), at + 16);
  return records;
}
