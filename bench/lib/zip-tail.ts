/**
 * Entry count from the last bytes of a ZIP (end of central directory, Zip64 when needed).
 * The client keeps only the tail of what it discards: a complete archive ends with these records,
 * so a count here also shows the transfer was not cut short.
 */

export const ZIP_TAIL_BYTES = 1024;

const END_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
const END_BYTES = 22;
const ZIP64_LOCATOR_BYTES = 20;

/** `tail` is the last bytes of an archive of `totalBytes`; null when no valid end record is there. */
export function zipEntryCount(tail: Buffer, totalBytes: number): number | null {
  // Scan back for the end record (it may be followed by a comment).
  for (let at = tail.length - END_BYTES; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== END_SIGNATURE) continue;
    const entries = tail.readUInt16LE(at + 10);
    if (entries !== 0xffff) return entries;
    const locator = at - ZIP64_LOCATOR_BYTES;
    if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR_SIGNATURE) return null;
    const zip64EndOffset = Number(tail.readBigUInt64LE(locator + 8));
    const inTail = zip64EndOffset - (totalBytes - tail.length);
    if (inTail < 0 || inTail + 40 > tail.length || tail.readUInt32LE(inTail) !== ZIP64_END_SIGNATURE) return null;
    return Number(tail.readBigUInt64LE(inTail + 32));
  }
  return null;
}
