/** Sizes of the ZIP records the archive engine writes (APPNOTE 4.3), for estimating archive bytes. */
export const ZIP = {
  localHeader: 30,
  centralHeader: 46,
  /** Signature, CRC-32 and 32-bit sizes after a deflated entry (its sizes are known only afterwards). */
  dataDescriptor: 16,
  /** Zip64 extra field in a central header: header + size, compressed size, offset. */
  zip64CentralExtra: 28,
  endOfCentralDirectory: 22,
  zip64EndOfCentralDirectory: 56,
  zip64Locator: 20,
  /** Beyond these, Zip64 records are needed. */
  maxEntries16: 0xffff,
  max32: 0xffffffff,
} as const;

/** Bytes one entry adds to the archive: local header, data, descriptor and central header. */
export function entryBytes(nameBytes: number, storedBytes: number, deflated: boolean, beyond4GiB: boolean): number {
  return (
    ZIP.localHeader +
    nameBytes +
    storedBytes +
    (deflated ? ZIP.dataDescriptor : 0) +
    ZIP.centralHeader +
    nameBytes +
    (beyond4GiB ? ZIP.zip64CentralExtra : 0)
  );
}

/** End records: Zip64 ones too when the entry count or the central directory's place needs them. */
export function endBytes(entries: number, centralOffset: number): number {
  const zip64 = entries > ZIP.maxEntries16 || centralOffset > ZIP.max32;
  return ZIP.endOfCentralDirectory + (zip64 ? ZIP.zip64EndOfCentralDirectory + ZIP.zip64Locator : 0);
}
