import type { Readable } from 'node:stream';
import { ChunkedOutput } from '../writer/chunked-output.js';
import type { PreparedEntry } from '../zip/compress.js';
import { METHOD } from '../zip/records.js';
import { SpillFile } from '../spill/spill-file.js';
import type { ArchiveSeek, LayoutRecorder } from '../seek/archive-layout.js';
import { WriterLayout } from '../writer/writer-layout.js';
import { BLOCK_BYTES, blockPadding, entryHeaders, RECORD_BYTES, ZEROS } from './records.js';

/** A spilled entry is written to its file and read back in pieces of this size. */
const SPILL_PIECE_BYTES = 1024 * 1024;

export interface TarWriterOptions {
  /** Modification time of every entry. */
  date: Date;
  /** Where a streamed entry too large for memory waits until its size is known. */
  tempDir: string;
  /** Bytes of a streamed entry held in memory before it moves to a temporary file; asked per entry. */
  memoryThreshold: () => number;
  /** Start at this point of the archive. */
  seek?: ArchiveSeek;
  /** Told where each batch of documents begins, and the length at the end. */
  recorder?: LayoutRecorder;
}

/**
 * Writes a POSIX tar (pax) archive into a Readable. A tar header gives the entry's size before its
 * data: prepared entries know it; a streamed entry (a load file) is held in memory up to a bound,
 * past it in a temporary file, until its end, then written header first. The two zero blocks that
 * end a tar are written by finish() only: an archive cut short never looks complete.
 */
export class TarWriter {
  private readonly out: ChunkedOutput;
  readonly output: Readable;
  private readonly mtime: number;
  private readonly options: TarWriterOptions;
  private entries: number;
  /** The temporary file of the streamed entry being written, if it spilled. */
  private spill: SpillFile | null = null;
  private disposed = false;
  private readonly layout: WriterLayout;

  constructor(options: TarWriterOptions) {
    this.options = options;
    this.out = new ChunkedOutput(options.seek?.point.offset ?? 0);
    this.output = this.out.output;
    this.entries = options.seek?.point.entries ?? 0;
    this.layout = new WriterLayout(this.out, options);
    this.mtime = Math.floor(options.date.getTime() / 1000);
  }

  private write(bytes: Buffer): void {
    this.out.write(bytes);
  }

  private writeHeaders(name: Buffer, size: number): void {
    for (const piece of entryHeaders(name, size, this.mtime)) this.write(piece);
    this.entries++;
  }

  flushIfReaderWaits(): void {
    this.out.flushIfReaderWaits();
  }

  /** Resolves once the reader wants more (backpressure), or at once when the archive was given up. */
  drained(): Promise<void> {
    return this.out.drained();
  }

  private checkLive(): void {
    if (this.disposed) throw new Error('tar: the archive was given up');
  }

  /** Document `document` (the first of a batch) begins here. */
  markDocument(document: number, documentsEnd = false): void {
    this.layout.point({ document, offset: this.out.offset, entries: this.entries, centralBytes: 0 }, documentsEnd);
  }

  /** An entry whose bytes are in hand: stored (a tar compresses nothing), header, data, padding to the block. */
  addPrepared(entry: PreparedEntry): void {
    this.checkLive();
    if (entry.method !== METHOD.stored) throw new Error(`tar: ${entry.name.toString()} was prepared compressed`);
    this.writeHeaders(entry.name, entry.size);
    for (const piece of entry.data) this.write(piece);
    this.write(ZEROS.subarray(0, blockPadding(entry.size)));
  }

  /**
   * An entry whose bytes arrive as a stream (a load file, an audit file, the answer key): read to
   * its end first, in memory up to the bound and in a temporary file past it, then written.
   */
  async addStream(name: Buffer, source: AsyncIterable<Buffer>): Promise<void> {
    let held: Buffer[] = [];
    let heldBytes = 0;
    const threshold = this.options.memoryThreshold();
    try {
      for await (const chunk of source) {
        this.checkLive();
        held.push(chunk);
        heldBytes += chunk.length;
        // In memory up to the bound; once spilling, in pieces of about SPILL_PIECE_BYTES per write.
        if (heldBytes > (this.spill ? SPILL_PIECE_BYTES : threshold)) {
          this.spill ??= new SpillFile(this.options.tempDir, 'tar-entry.bin');
          this.spill.append(held);
          held = [];
          heldBytes = 0;
        }
      }
      this.checkLive();
      const spill = this.spill;
      if (spill === null) {
        this.writeHeaders(name, heldBytes);
        for (const chunk of held) this.write(chunk);
        this.write(ZEROS.subarray(0, blockPadding(heldBytes)));
        await this.drained();
        return;
      }
      spill.append(held);
      held = [];
      const size = spill.length;
      this.writeHeaders(name, size);
      for (let at = 0; at < size; at += SPILL_PIECE_BYTES) {
        const piece = Buffer.allocUnsafe(Math.min(SPILL_PIECE_BYTES, size - at));
        spill.readInto(piece, at);
        this.write(piece);
        await this.drained();
        this.checkLive();
      }
      this.write(ZEROS.subarray(0, blockPadding(size)));
    } finally {
      this.spill?.dispose();
      this.spill = null;
    }
  }

  /** The end of the archive (two zero blocks, then zeros to the end of a 10 KiB record), then the end of the stream. */
  async finish(): Promise<void> {
    this.checkLive();
    if (await this.layout.writeKnownTail()) {
      this.out.end();
      this.dispose();
      return;
    }
    const end = this.out.offset + 2 * BLOCK_BYTES;
    this.write(ZEROS.subarray(0, 2 * BLOCK_BYTES));
    this.write(ZEROS.subarray(0, (RECORD_BYTES - (end % RECORD_BYTES)) % RECORD_BYTES));
    this.out.end();
    this.layout.complete(this.out.offset);
    this.dispose();
  }

  /** Gives the archive up (or ends it): removes a streamed entry's temporary file at once; safe to call more than once. */
  dispose(): void {
    this.layout.cut(() => null);
    this.layout.dispose();
    this.disposed = true;
    this.spill?.dispose();
    this.spill = null;
    this.out.release();
  }
}
