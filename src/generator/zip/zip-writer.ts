import type { Readable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import { ChunkedOutput } from '../writer/chunked-output.js';
import { CentralDirectory, type CentralDirectoryOptions } from './central-directory.js';
import type { PreparedEntry } from './compress.js';
import { dataDescriptor, dosDateTime, endRecords, localHeaderBytes, MAX_32, METHOD, writeLocalHeader, type EntryRecord, type Timestamp } from './records.js';

export interface ZipWriterOptions extends CentralDirectoryOptions {
  /** Timestamp of every entry. */
  date: Date;
}

/**
 * Writes a ZIP archive into a Readable: entries whose CRC and sizes are known go out with them in
 * the local header; a streamed entry gets a data descriptor. Small writes are coalesced.
 */
export class ZipWriter {
  private readonly out = new ChunkedOutput();
  readonly output: Readable = this.out.output;
  private readonly centralDirectory: CentralDirectory;
  private readonly when: Timestamp;

  constructor(options: ZipWriterOptions) {
    this.centralDirectory = new CentralDirectory(options);
    this.when = dosDateTime(options.date);
  }

  /** Bytes written so far (the archive offset). */
  get bytesWritten(): number {
    return this.out.offset;
  }

  get entryCount(): number {
    return this.centralDirectory.entries;
  }

  private write(bytes: Buffer): void {
    this.out.write(bytes);
  }

  /** Writes an entry's local header straight into the output chunk. */
  private writeHeader(entry: EntryRecord, streamed: { zip64: boolean } | null): void {
    this.out.writeInPlace(localHeaderBytes(entry, streamed), (chunk, at) => writeLocalHeader(chunk, at, entry, this.when, streamed));
  }

  /** Hands the coalesced bytes to the reader. */
  flush(): void {
    this.out.flush();
  }

  flushIfReaderWaits(): void {
    this.out.flushIfReaderWaits();
  }

  /** Resolves once the reader wants more (backpressure). */
  drained(): Promise<void> {
    return this.out.drained();
  }

  addPrepared(entry: PreparedEntry): void {
    const offset = this.out.offset;
    this.writeHeader(entry, null);
    for (const piece of entry.data) this.write(piece);
    this.centralDirectory.add(entry, offset, this.when, false);
  }

  /**
   * A deflated entry whose bytes arrive as a stream (the load file): local header with bit 3, data,
   * then the data descriptor. `zip64` when it may pass 4 GiB: 8-byte sizes in the descriptor.
   */
  async addStream(name: Buffer, source: AsyncIterable<Buffer>, zip64: boolean): Promise<void> {
    const offset = this.out.offset;
    this.writeHeader({ name, method: METHOD.deflated, crc: 0, compressedSize: 0, size: 0 }, { zip64 });
    const deflate = createDeflateRaw({ level: 6 });
    let crc = 0;
    let size = 0;
    let compressedSize = 0;
    const feed = (async () => {
      try {
        for await (const chunk of source) {
          crc = crc32(chunk, crc);
          size += chunk.length;
          if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
        }
        deflate.end();
      } catch (error) {
        deflate.destroy(error as Error);
      }
    })();
    for await (const compressed of deflate as AsyncIterable<Buffer>) {
      compressedSize += compressed.length;
      this.write(compressed);
      await this.drained();
    }
    await feed;
    if (!zip64 && (size >= MAX_32 || compressedSize >= MAX_32)) {
      throw new Error(`${name.toString()} passed 4 GiB without Zip64 sizes`);
    }
    this.write(dataDescriptor({ crc, compressedSize, size }, zip64));
    this.centralDirectory.add({ name, method: METHOD.deflated, crc, compressedSize, size }, offset, this.when, true);
  }

  /** Central directory and end records, then the end of the stream. */
  async finish(): Promise<void> {
    const centralOffset = this.out.offset;
    for await (const chunk of this.centralDirectory.read()) {
      this.write(chunk);
      await this.drained();
    }
    this.write(endRecords(this.centralDirectory.entries, centralOffset, this.out.offset - centralOffset));
    this.out.end();
    this.dispose();
  }

  /** Releases the central directory and its temporary file (after success, failure or abort). */
  dispose(): void {
    this.centralDirectory.dispose();
  }
}
