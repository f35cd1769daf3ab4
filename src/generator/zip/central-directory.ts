import { centralHeaderBytes, writeCentralHeader, type EntryRecord, type Timestamp } from './records.js';
import type { SharedFile } from '../seek/archive-layout.js';
import { SpillFile } from '../spill/spill-file.js';

/** A detached directory's file (kept for ranges by a layout, not a spill left behind). */
export const LAYOUT_CENTRAL_HEADERS_FILE = 'layout-central-headers.bin';

/** Central headers are packed into chunks of this size. */
const CHUNK_BYTES = 1024 * 1024;

export interface CentralDirectoryOptions {
  /**
   * Bytes of central headers held in memory before they move to a temporary file; a function is
   * asked at every entry (the bound may change while the archive streams).
   */
  spillThreshold: number | (() => number);
  /** Where that file goes. */
  tempDir: string;
}

/** Central headers of the entries before a mid-archive start (written by an earlier generation of the same archive). */
export interface CentralPrefix {
  headers: SharedFile;
  bytes: number;
  entries: number;
}

/**
 * The central directory, kept as the bytes it will be written as (about 70 bytes an entry, not an
 * object per entry), moved to a temporary file past a bound, so memory stays flat at any count.
 */
export class CentralDirectory {
  private readonly options: CentralDirectoryOptions;
  private chunks: Buffer[] = [];
  private current = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private inMemory = 0;
  private spillFile: SpillFile;
  private readonly prefix: CentralPrefix | null;
  entries = 0;
  bytes = 0;

  /** `prefix`: the directory starts with those headers (its holder keeps them until this directory is disposed of). */
  constructor(options: CentralDirectoryOptions, prefix: CentralPrefix | null = null) {
    this.options = options;
    this.spillFile = new SpillFile(options.tempDir, 'central-directory.bin');
    this.prefix = prefix;
    this.entries = prefix?.entries ?? 0;
    this.bytes = prefix?.bytes ?? 0;
  }

  /** Records an entry whose local header is at `offset`. */
  add(entry: EntryRecord, offset: number, when: Timestamp, streamed: boolean): void {
    const length = centralHeaderBytes(entry, offset);
    if (this.used + length > this.current.length) this.sealChunk(length);
    this.used += writeCentralHeader(this.current, this.used, entry, offset, when, streamed);
    this.entries++;
    this.bytes += length;
    this.inMemory += length;
    const { spillThreshold } = this.options;
    if (this.inMemory > (typeof spillThreshold === 'number' ? spillThreshold : spillThreshold())) this.spill();
  }

  private sealChunk(next: number): void {
    if (this.used > 0) this.chunks.push(this.current.subarray(0, this.used));
    this.current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, next));
    this.used = 0;
  }

  /**
   * Moves every chunk to the temporary file (created on first use). The current chunk is written
   * too and then refilled, not replaced: spilling allocates nothing.
   */
  private spill(): void {
    this.spillFile.append([...this.chunks, this.current.subarray(0, this.used)]);
    this.chunks = [];
    this.used = 0;
    this.inMemory = 0;
  }

  /** The central directory's bytes in order: a prefix's, from the temporary file, then from memory. */
  async *read(): AsyncGenerator<Buffer> {
    this.sealChunk(0);
    if (this.prefix) yield* this.prefix.headers.read(this.prefix.bytes);
    yield* this.spillFile.read(CHUNK_BYTES);
    yield* this.chunks;
  }

  /**
   * Every header so far in its file, handed to the caller (who disposes of it), so the headers
   * outlive this directory (not for one that began with a prefix: its file is not whole).
   */
  detach(): SpillFile {
    if (this.prefix) throw new Error('CentralDirectory: a directory that began with a prefix has no whole file to hand over');
    this.spill();
    const file = this.spillFile;
    file.rename(LAYOUT_CENTRAL_HEADERS_FILE);
    this.spillFile = new SpillFile(this.options.tempDir, 'central-directory.bin');
    return file;
  }

  /** Frees memory and removes the temporary file; safe to call more than once. */
  dispose(): void {
    this.chunks = [];
    this.spillFile.dispose();
  }
}
