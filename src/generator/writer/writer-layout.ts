import type { ArchiveSeek, LayoutRecorder, SeekPoint } from '../seek/archive-layout.js';
import { SpillFile } from '../zip/spill-file.js';
import type { ChunkedOutput } from './chunked-output.js';

/** A recorded tail's file (kept for ranges by a layout, not a spill left behind). */
export const LAYOUT_TAIL_FILE = 'layout-tail.bin';

export interface WriterLayoutOptions {
  /** The generation starts at this point (the writer's output begins at its offset). */
  seek?: ArchiveSeek;
  /** Told the seek points, then the tail (complete) or the central headers (cut). */
  recorder?: LayoutRecorder;
  /** Where a recorded tail is written. */
  tempDir: string;
}

/**
 * An archive writer's part in seeking (shared by the ZIP and tar writers): it tells a recorder where
 * each batch of documents begins and keeps a copy of the bytes after the documents (the tail) in a
 * file; given a seek with a known tail, it writes that tail instead of making it.
 */
export class WriterLayout {
  private tail: { offset: number; file: SpillFile } | null = null;
  private ended = false;
  private released = false;

  constructor(
    private readonly out: ChunkedOutput,
    private readonly options: WriterLayoutOptions,
  ) {}

  /** Where the output's first byte lies in the archive. */
  get startOffset(): number {
    return this.options.seek?.point.offset ?? 0;
  }

  /** Entries before the start. */
  get startEntries(): number {
    return this.options.seek?.point.entries ?? 0;
  }

  /** A batch beginning with `point.document` is written next; `documentsEnd`: no document follows (the tail does). */
  point(point: SeekPoint, documentsEnd: boolean): void {
    const { recorder, tempDir } = this.options;
    if (!recorder || this.ended) return;
    recorder.point(point);
    if (documentsEnd && !this.tail) {
      const tail = { offset: point.offset, file: new SpillFile(tempDir, LAYOUT_TAIL_FILE) };
      this.tail = tail;
      this.out.tee((chunk) => {
        if (this.tail !== tail) return;
        tail.file.append([chunk]);
        if (tail.file.length > recorder.maxTailBytes) {
          // Too long to keep: no more copying (the archive's length is still told).
          tail.file.dispose();
          this.tail = null;
        }
      });
    }
  }

  /** With a seek that knows the archive's tail: writes it (the rest of the archive, not made again) and returns true. */
  async writeKnownTail(): Promise<boolean> {
    const tail = this.options.seek?.tail;
    if (!tail) return false;
    for await (const chunk of tail.file.read()) {
      this.out.write(chunk);
      await this.out.drained();
    }
    return true;
  }

  /** The archive ended whole, `length` bytes (after the output's end: the tail's last chunk is in its file). */
  complete(length: number): void {
    if (this.ended) return;
    this.ended = true;
    const tail = this.tail;
    this.tail = null;
    this.options.recorder?.end({ central: null, tail, length });
  }

  /**
   * The archive was cut (or failed): the recorder gets the central headers written so far; none
   * when it started mid-archive (its headers are not whole: what it learnt is lost).
   */
  cut(central: () => SpillFile | null): void {
    if (this.ended) return;
    this.ended = true;
    this.tail?.file.dispose();
    this.tail = null;
    if (!this.options.seek) this.options.recorder?.end({ central: central(), tail: null, length: undefined });
  }

  /** Lets the seek's tail go; safe to call more than once. */
  dispose(): void {
    const tail = this.options.seek?.tail;
    if (tail && !this.released) {
      this.released = true;
      tail.file.release();
    }
  }
}
