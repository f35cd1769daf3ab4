import { Readable } from 'node:stream';

/** Bytes coalesced before they are handed to the reader. */
const CHUNK_BYTES = 256 * 1024;
/** Pieces this large go to the reader as they are (copying them would cost more than a push). */
const DIRECT_BYTES = 64 * 1024;

/**
 * An archive writer's output: small writes coalesced into chunks, large ones pushed as they are,
 * the offset counted, and backpressure from the reader (`drained`). Shared by the ZIP and tar writers.
 */
export class ChunkedOutput {
  readonly output: Readable;
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private written = 0;
  private waitingForRead: (() => void) | null = null;
  private released = false;
  /** Told every chunk handed to the reader from tee() on. */
  private tap: ((chunk: Buffer) => void) | null = null;

  /** `startOffset`: where in the archive its first byte lies (a generation that starts mid-archive). */
  constructor(startOffset = 0) {
    this.written = startOffset;
    this.output = new Readable({ highWaterMark: 1024 * 1024, read: () => this.wake() });
  }

  /** Bytes written so far (the archive offset). */
  get offset(): number {
    return this.written;
  }

  private wake(): void {
    const resume = this.waitingForRead;
    this.waitingForRead = null;
    resume?.();
  }

  write(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.written += bytes.length;
    if (bytes.length >= DIRECT_BYTES) {
      this.flush();
      this.push(bytes);
      return;
    }
    if (this.used + bytes.length > this.chunk.length) this.flush();
    bytes.copy(this.chunk, this.used);
    this.used += bytes.length;
  }

  /** Room for `length` bytes written in place by `fill(chunk, at)` (which returns how many it wrote). */
  writeInPlace(length: number, fill: (chunk: Buffer, at: number) => number): void {
    if (this.used + length > this.chunk.length) this.flush();
    const wrote = fill(this.chunk, this.used);
    this.used += wrote;
    this.written += wrote;
  }

  private push(bytes: Buffer): void {
    this.tap?.(bytes);
    this.output.push(bytes);
  }

  /** From now on, every byte written is also told to `tap`, in the chunks the reader gets. */
  tee(tap: (chunk: Buffer) => void): void {
    this.flush();
    this.tap = tap;
  }

  /** Hands the coalesced bytes to the reader. */
  flush(): void {
    if (this.used === 0) return;
    this.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
  }

  /**
   * Hands over the coalesced bytes now if the reader has nothing left to read: coalescing is for
   * a reader that keeps up, never a reason to keep one waiting (the first bytes above all).
   */
  flushIfReaderWaits(): void {
    if (this.output.readableLength === 0) this.flush();
  }

  /** Resolves once the reader wants more (backpressure), or at once when the writer was released. */
  drained(): Promise<void> {
    if (this.released || this.output.readableLength < this.output.readableHighWaterMark) return Promise.resolve();
    return new Promise((resolve) => (this.waitingForRead = resolve));
  }

  /** The last bytes, then the end of the stream. */
  end(): void {
    this.flush();
    this.output.push(null);
  }

  /** Nothing waits for the reader any more (the archive was given up). */
  release(): void {
    this.released = true;
    this.wake();
  }
}
