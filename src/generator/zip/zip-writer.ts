import type { Readable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import { ChunkedOutput } from '../writer/chunked-output.js';
import type { ArchiveSeek, LayoutRecorder } from '../seek/archive-layout.js';
import { WriterLayout } from '../writer/writer-layout.js';
import { CentralDirectory, type CentralDirectoryOptions } from './central-directory.js';
import type { PreparedEntry } from './compress.js';
import { dataDescriptor, dosDateTime, endRecords, localHeaderBytes, MAX_32, METHOD, writeLocalHeader, type EntryRecord, type Timestamp } from './records.js';

export interface ZipWriterOptions extends CentralDirectoryOptions {
  /** Timestamp of every entry. */
  date: Date;
  /** Start at this point of the archive (its files retained for this writer, which releases them). */
  seek?: ArchiveSeek;
  /** Told where each batch of documents begins, and the central headers at the end. */
  recorder?: LayoutRecorder;
}

/**
 * Writes a ZIP archive into a Readable: entries whose CRC and sizes are known go out with them in
 * the local header; a streamed entry gets a data descriptor. Small writes are coalesced.
 */
export class ZipWriter {
  private readonly out: ChunkedOutput;
  readonly output: Readable;
  private readonly centralDirectory: CentralDirectory;
  private readonly when: Timestamp;
  private readonly layout: WriterLayout;

  constructor(options: ZipWriterOptions) {
    const { seek } = options;
    if (seek && !seek.central && !seek.tail && seek.point.entries > 0) throw new Error('ZipWriter: a start past the first entry needs the central headers before it, or the tail');
    this.out = new ChunkedOutput(seek?.point.offset ?? 0);
    this.output = this.out.output;
    const prefix = seek?.central ? { headers: seek.central, bytes: seek.point.centralBytes, entries: seek.point.entries } : null;
    this.centralDirectory = new CentralDirectory(options, prefix);
    this.when = dosDateTime(options.date);
    this.layout = new WriterLayout(this.out, options);
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

  /** Document `document` (the first of a batch) begins here; `documentsEnd`: no document follows. */
  markDocument(document: number, documentsEnd = false): void {
    this.layout.point({ document, offset: this.out.offset, entries: this.centralDirectory.entries, centralBytes: this.centralDirectory.bytes }, documentsEnd);
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

  /** Central directory and end records (or a seek's known tail), then the end of the stream. */
  async finish(): Promise<void> {
    if (await this.layout.writeKnownTail()) {
      this.out.end();
      this.dispose();
      return;
    }
    const centralOffset = this.out.offset;
    for await (const chunk of this.centralDirectory.read()) {
      this.write(chunk);
      await this.drained();
    }
    this.write(endRecords(this.centralDirectory.entries, centralOffset, this.out.offset - centralOffset));
    this.out.end();
    this.layout.complete(this.out.offset);
    this.dispose();
  }

  /** Releases the central directory and its temporary file (after success, failure or abort); a recorder gets the headers written so far. */
  dispose(): void {
    this.layout.cut(() => this.centralDirectory.detach());
    this.centralDirectory.dispose();
    this.layout.dispose();
  }
}
