import { closeSync, createReadStream, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpillDir } from './spill-dir.js';

/**
 * An append-only temporary file in a spill folder of this process (see spill-dir.ts), made on the
 * first append and removed by dispose(): where the central directory and an archive's hashes go
 * past their bounds in memory.
 */
export class SpillFile {
  private dir: string | null = null;
  private fd: number | null = null;
  /** Bytes written so far. */
  length = 0;
  private disposed = false;

  constructor(
    private readonly tempDir: string,
    private fileName: string,
  ) {}

  /** Gives the file (made or still to be made) another name: what it holds changed hands (a layout kept for ranges). */
  rename(fileName: string): void {
    if (this.dir !== null) renameSync(join(this.dir, this.fileName), join(this.dir, fileName));
    this.fileName = fileName;
  }

  /** Writes the chunks after what the file holds. */
  append(chunks: readonly Buffer[]): void {
    // After dispose() a new folder would outlive its owner's cleanup.
    if (this.disposed) throw new Error('SpillFile: appended to after dispose()');
    if (this.fd === null) {
      // Named after this process, so that the next one can remove it if this one is killed.
      this.dir = makeSpillDir(this.tempDir);
      this.fd = openSync(join(this.dir, this.fileName), 'w+');
    }
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.length) written += writeSync(this.fd, chunk, written, chunk.length - written, this.length + written);
      this.length += chunk.length;
    }
  }

  /** Fills `target` with the file's bytes from `at` (all of them must have been written). */
  readInto(target: Buffer, at: number): void {
    if (at + target.length > this.length || this.fd === null) throw new Error(`SpillFile: bytes ${at}…${at + target.length} not written`);
    for (let filled = 0; filled < target.length; ) {
      const read = readSync(this.fd, target, filled, target.length - filled, at + filled);
      if (read === 0) throw new Error('SpillFile: file shorter than written');
      filled += read;
    }
  }

  /** The bytes written from `start` to before `end` (all by default), in chunks of about `chunkBytes`. */
  async *read(chunkBytes: number, end = this.length, start = 0): AsyncGenerator<Buffer> {
    if (end > this.length || start < 0) throw new Error(`SpillFile: bytes ${start}…${end} not written`);
    if (this.fd === null || end <= start) return;
    const stream = createReadStream('', { fd: this.fd, start, end: end - 1, autoClose: false, highWaterMark: chunkBytes });
    for await (const chunk of stream) yield chunk as Buffer;
  }

  /** Closes and removes the file; safe to call more than once. */
  dispose(): void {
    this.disposed = true;
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    if (this.dir !== null) {
      rmSync(this.dir, { recursive: true, force: true });
      this.dir = null;
    }
  }
}
